package io.parallelix.node.gpu.decoders;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.gpu.decoders.CachedDecoder.Cache;
import io.parallelix.node.gpu.decoders.CachedDecoder.Generation;
import io.parallelix.node.gpu.decoders.CachedDecoder.Padding;
import io.parallelix.node.gpu.testing.DecoderSpec;
import io.parallelix.node.gpu.testing.TestDecoders;
import io.parallelix.node.testing.NpmRefs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated model directories as {@code @huggingface/transformers} loads them (its own config
 * reading, cache construction and generate loop; scripts/refs/generate_reference.mjs): greedy
 * generate gives our cached loop's tokens, from logits within 1e-4 of ours. It stops early at an
 * eos id of generation_config.json, our loop does not: tokens compare up to its stop.
 */
class DecoderTransformersJsTest {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private static final double TOLERANCE = 1e-4;

    @TempDir
    Path models;

    static Stream<DecoderSpec> specs() {
        return Stream.of(
                TestDecoders.gpt2("gpt2"),
                TestDecoders.llama("llama"),
                TestDecoders.llama("llama-fp16kv").withKvFp16(true),
                TestDecoders.llama("llama-onnx-dir")
                        .withModelPath("onnx/model.onnx")
                        .withExternalData(true));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void transformersJsGenerate_greedy_sameTokensAsCachedLoop(DecoderSpec spec) throws Exception {
        Path dir = TestDecoders.write(models, spec);
        List<int[]> prompts = DecoderReferenceTest.PROMPTS;
        int steps = DecoderReferenceTest.STEPS;
        List<String> args = new ArrayList<>(List.of(models.toString(), spec.name(), Integer.toString(steps)));
        prompts.forEach(
                p -> args.add(Arrays.stream(p).mapToObj(Integer::toString).collect(Collectors.joining(","))));
        JsonNode results = new ObjectMapper()
                .readTree(NpmRefs.node("generate_reference.mjs", args.toArray(String[]::new))
                        .withTimeout(Duration.ofMinutes(3))
                        .run()
                        .requireSuccess()
                        .stdout())
                .path("results");

        try (OrtSession session = CachedDecoder.open(ENV, dir.resolve(spec.modelPath()))) {
            CachedDecoder decoder = new CachedDecoder(ENV, session, spec);
            for (int p = 0; p < prompts.size(); p++) {
                Generation ours = decoder.generate(List.of(prompts.get(p)), steps, Padding.LEFT, Cache.DIRECT);
                JsonNode theirs = results.get(p);
                int[] tokens = new int[theirs.path("tokens").size()];
                Arrays.setAll(tokens, i -> theirs.path("tokens").get(i).asInt());
                assertThat(tokens).isEqualTo(Arrays.copyOf(ours.tokens().get(0), tokens.length));
                if (tokens.length < steps) {
                    assertThat(spec.eosTokenIds()).contains(tokens[tokens.length - 1]);
                }
                double worst = 0;
                for (int step = 0; step < tokens.length; step++) {
                    float[] row = ours.logits().get(0).get(step);
                    JsonNode their = theirs.path("logits").get(step);
                    assertThat(their.size()).isEqualTo(row.length);
                    for (int v = 0; v < row.length; v++) {
                        worst = Math.max(worst, Math.abs(row[v] - their.get(v).asDouble()));
                    }
                }
                System.out.printf(
                        "DecoderTransformersJsTest %s prompt %d: %d tokens, text %s, max |ours - theirs| =" + " %.3g%n",
                        spec.name(), p, tokens.length, theirs.path("text"), worst);
                assertThat(worst).isLessThanOrEqualTo(TOLERANCE);
            }
        }
    }
}
