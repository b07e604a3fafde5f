package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.gpu.testing.TestDecoders;
import io.parallelix.node.gpu.testing.TestModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache layout read from the generated decoders' graphs as ONNX Runtime reports them. */
class DecoderGraphLayoutTest {
    @TempDir
    static Path models;

    private static ModelInfo gpt2;
    private static ModelInfo llama;

    @BeforeAll
    static void open() throws Exception {
        TestDecoders.writeGpt2(models);
        TestDecoders.writeLlama(models);
        try (InferenceEngine engine = InferenceEngine.open(TestModels.cpuConfig(models))) {
            gpt2 = engine.model(TestDecoders.GPT2).orElseThrow();
            llama = engine.model(TestDecoders.LLAMA).orElseThrow();
        }
    }

    @Test
    void of_gpt2_multiHeadCacheOfTwoLayers() throws Exception {
        assertThat(DecoderLayout.of("g", gpt2.inputs(), gpt2.outputs()))
                .isEqualTo(new DecoderLayout(2, 4, 16, DataType.FP32, true, true, 384, DataType.FP32));
    }

    @Test
    void of_llama_groupedQueryCacheHasFewerKvHeads() throws Exception {
        assertThat(DecoderLayout.of("l", llama.inputs(), llama.outputs()))
                .isEqualTo(new DecoderLayout(2, 2, 16, DataType.FP32, true, true, 384, DataType.FP32));
    }

    private static List<TensorSpec> edit(List<TensorSpec> specs, UnaryOperator<List<TensorSpec>> change) {
        return change.apply(new ArrayList<>(specs));
    }

    @Test
    void of_graphsThatDoNotFit_areRefusedNamingWhatIsMissing() {
        List<TensorSpec> in = llama.inputs();
        List<TensorSpec> out = llama.outputs();
        assertThatThrownBy(() -> DecoderLayout.of(
                        "m",
                        edit(in, l -> {
                            l.removeIf(t -> t.name().startsWith("past_key_values"));
                            return l;
                        }),
                        out))
                .hasMessageContaining("past_key_values.{i}.key|value")
                .hasMessageContaining("Fix:");
        assertThatThrownBy(() -> DecoderLayout.of("m", in, edit(out, l -> {
                    l.removeIf(t -> t.name().equals("present.1.value"));
                    return l;
                })))
                .hasMessageContaining("outputs for layer 1");
        assertThatThrownBy(() -> DecoderLayout.of(
                        "m",
                        edit(in, l -> {
                            l.add(new TensorSpec("use_cache_branch", DataType.BOOL, List.of(1L)));
                            return l;
                        }),
                        out))
                .hasMessageContaining("no input 'use_cache_branch'");
        assertThatThrownBy(() -> DecoderLayout.of("m", in, edit(out, l -> {
                    l.removeIf(t -> t.name().equals("logits"));
                    return l;
                })))
                .hasMessageContaining("output 'logits' FP32 or FP16 [batch, sequence, vocab]");
        assertThatThrownBy(() -> DecoderLayout.of(
                        "m",
                        edit(in, l -> {
                            l.replaceAll(t -> t.name().equals("past_key_values.1.key")
                                    ? new TensorSpec(t.name(), DataType.FP32, List.of(-1L, 4L, -1L, 16L))
                                    : t);
                            return l;
                        }),
                        out))
                .hasMessageContaining("'past_key_values.1.key' as FP32 [batch, 2, length, 16]");
        assertThatThrownBy(() -> DecoderLayout.of(
                        "m",
                        edit(in, l -> {
                            l.replaceAll(t -> t.name().equals("past_key_values.0.key")
                                    ? new TensorSpec(t.name(), DataType.FP32, List.of(-1L, -1L, -1L, 16L))
                                    : t);
                            return l;
                        }),
                        out))
                .hasMessageContaining("kv_heads and head_dim fixed");
    }

    @Test
    void of_anEncoder_isRefused() throws Exception {
        List<TensorSpec> minilmInputs = List.of(
                new TensorSpec("input_ids", DataType.INT64, List.of(-1L, -1L)),
                new TensorSpec("attention_mask", DataType.INT64, List.of(-1L, -1L)),
                new TensorSpec("token_type_ids", DataType.INT64, List.of(-1L, -1L)));
        List<TensorSpec> minilmOutputs =
                List.of(new TensorSpec("last_hidden_state", DataType.FP32, List.of(-1L, -1L, 384L)));
        assertThatThrownBy(() -> DecoderLayout.of("minilm", minilmInputs, minilmOutputs))
                .hasMessageContaining("model 'minilm' is not a decoder")
                .hasMessageContaining("output 'logits'")
                .hasMessageContaining("no input 'token_type_ids'");
    }
}
