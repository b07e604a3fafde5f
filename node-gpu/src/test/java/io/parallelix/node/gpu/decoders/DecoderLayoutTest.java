package io.parallelix.node.gpu.decoders;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.parallelix.node.gpu.testing.DecoderSpec;
import io.parallelix.node.gpu.testing.DecoderSpec.Architecture;
import io.parallelix.node.gpu.testing.TestDecoders;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The graphs as ONNX Runtime sees them, against what Optimum's exporter declares for
 * text-generation-with-past (optimum-onnx, optimum/exporters/onnx: TextDecoderOnnxConfig.inputs,
 * TextDecoderWithPositionIdsOnnxConfig adding position_ids, OnnxConfigWithPast.add_past_key_values
 * and outputs; order by OnnxConfig.ordered_inputs, i.e. the HF forward signature). Dynamic axes
 * carry Optimum's names; the others are the fixed sizes torch.onnx.export writes.
 */
class DecoderLayoutTest {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    @TempDir
    Path models;

    /** One value: name, element type, dims (a String is a dynamic axis name, a Long a fixed size). */
    record Value(String name, OnnxJavaType type, List<Object> dims) {}

    static Stream<DecoderSpec> specs() {
        return Stream.of(
                TestDecoders.gpt2("gpt2"),
                TestDecoders.llama("llama"),
                TestDecoders.llama("llama-fp16kv").withKvFp16(true));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void session_inputsAndOutputs_areOptimumsNamesTypesAndAxes(DecoderSpec spec) throws Exception {
        Path dir = TestDecoders.write(models, spec);
        try (OrtSession session = CachedDecoder.open(ENV, dir.resolve("model.onnx"))) {
            List<Value> inputs = values(session.getInputInfo());
            List<Value> outputs = values(session.getOutputInfo());
            inputs.forEach(v -> System.out.println("DecoderLayoutTest " + spec.name() + " input  " + v));
            outputs.forEach(v -> System.out.println("DecoderLayoutTest " + spec.name() + " output " + v));

            assertThat(inputs).containsExactlyElementsOf(optimumInputs(spec));
            assertThat(outputs).containsExactlyElementsOf(optimumOutputs(spec));
        }
    }

    /** Optimum's inputs, in the order of GPT2LMHeadModel.forward or LlamaForCausalLM.forward. */
    static List<Value> optimumInputs(DecoderSpec s) {
        Value ids = new Value("input_ids", OnnxJavaType.INT64, List.of("batch_size", "sequence_length"));
        Value mask = new Value(
                "attention_mask", OnnxJavaType.INT64, List.of("batch_size", "past_sequence_length + sequence_length"));
        Value positions = new Value("position_ids", OnnxJavaType.INT64, List.of("batch_size", "sequence_length"));
        List<Value> past = cache(s, "past_key_values", "past_sequence_length");
        List<Value> all = new ArrayList<>(List.of(ids));
        if (s.architecture()
                == Architecture.GPT2) { // forward(input_ids, past_key_values, attention_mask, ..., position_ids)
            all.addAll(past);
            all.add(mask);
            all.add(positions);
        } else { // forward(input_ids, attention_mask, position_ids, past_key_values, ...)
            all.add(mask);
            all.add(positions);
            all.addAll(past);
        }
        return all;
    }

    static List<Value> optimumOutputs(DecoderSpec s) {
        List<Value> all = new ArrayList<>();
        all.add(new Value(
                "logits", OnnxJavaType.FLOAT, List.of("batch_size", "sequence_length", (long) s.vocabSize())));
        all.addAll(cache(s, "present", "past_sequence_length + sequence_length"));
        return all;
    }

    private static List<Value> cache(DecoderSpec s, String prefix, String lengthAxis) {
        OnnxJavaType type = s.kvFp16() ? OnnxJavaType.FLOAT16 : OnnxJavaType.FLOAT;
        List<Value> all = new ArrayList<>();
        for (int i = 0; i < s.layers(); i++) {
            for (String kind : List.of("key", "value")) {
                all.add(new Value(
                        prefix + "." + i + "." + kind,
                        type,
                        List.of("batch_size", (long) s.kvHeads(), lengthAxis, (long) s.headDim())));
            }
        }
        return all;
    }

    private static List<Value> values(Map<String, NodeInfo> infos) {
        List<Value> values = new ArrayList<>();
        infos.forEach((name, info) -> {
            TensorInfo t = (TensorInfo) info.getInfo();
            List<Object> dims = new ArrayList<>();
            for (int d = 0; d < t.getShape().length; d++) {
                String symbol = t.getDimensionNames()[d];
                dims.add(t.getShape()[d] < 0 ? symbol : (Object) t.getShape()[d]);
            }
            values.add(new Value(name, t.type, dims));
        });
        return values;
    }
}
