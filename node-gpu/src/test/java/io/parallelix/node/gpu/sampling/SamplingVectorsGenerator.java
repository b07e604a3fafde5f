package io.parallelix.node.gpu.sampling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes docs/test-vectors/sampling-v1.json from the Java sampler's answers to
 * {@link SamplingVectorCases}; SamplingVectorsTest checks the committed file is exactly this output
 * and that scripts/sampling_reference.py reproduces it. Run (after test-compile):
 * {@code java -cp <node-gpu test class path> io.parallelix.node.gpu.sampling.SamplingVectorsGenerator
 * docs/test-vectors/sampling-v1.json}.
 */
final class SamplingVectorsGenerator {
    static final String PATH = "docs/test-vectors/sampling-v1.json";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Random123's kat_vectors for philox4x32_10: counter (4 words), key (2 words). */
    static final int[][] RANDOM123_INPUTS = {
        {0, 0, 0, 0, 0, 0},
        {-1, -1, -1, -1, -1, -1},
        {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0},
    };

    private SamplingVectorsGenerator() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: SamplingVectorsGenerator OUT.json");
            System.exit(2);
        }
        Files.writeString(Path.of(args[0]), render(), StandardCharsets.UTF_8);
    }

    static String render() throws JsonProcessingException {
        ObjectNode root = F.objectNode();
        root.put("title", "pxnode sampling v1 test vectors");
        root.put("spec", "docs/generation.md");
        root.put("generator", "node-gpu/src/test/java/io/parallelix/node/gpu/sampling/SamplingVectorsGenerator.java");
        root.put("reference", "scripts/sampling_reference.py (Python + numpy, independent of the Java code)");
        root.put("sampling_version", 1);
        root.put(
                "notes",
                "Doubles are JSON numbers that round-trip exactly; logits are the float32 values written as"
                        + " the doubles they convert to; \"-Infinity\" is a string. Every expected value must match exactly.");
        ArrayNode philox = root.putArray("philox4x32_10");
        for (int[] in : RANDOM123_INPUTS) {
            int[] out = Philox.block(in[0], in[1], in[2], in[3], in[4], in[5]);
            ObjectNode v = philox.addObject();
            v.set("counter", hex(in[0], in[1], in[2], in[3]));
            v.set("key", hex(in[4], in[5]));
            v.set("output", hex(out[0], out[1], out[2], out[3]));
        }
        ArrayNode uniforms = root.putArray("uniform53");
        long[] seeds = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 0x0123_4567_89AB_CDEFL};
        int[][] positions = {{0, 0}, {0, 1}, {1, 0}, {7, 1000}, {127, Integer.MAX_VALUE}};
        for (long seed : seeds) {
            for (int[] at : positions) {
                uniforms.addObject()
                        .put("seed", seed)
                        .put("choice", at[0])
                        .put("step", at[1])
                        .put("u53", Philox.uniform53(seed, at[0], at[1]));
            }
        }
        ArrayNode exp = root.putArray("exp_px");
        for (double x : List.of(
                0.0,
                -1e-300,
                -1e-17,
                -0.5,
                -0.6931471805599453,
                -1.0,
                -10.0,
                -29.112,
                -32.0,
                -100.0,
                -707.9,
                -708.0,
                -708.0000000001,
                -745.2)) {
            exp.addObject().put("x", x).put("y", PxMath.exp(x));
        }
        exp.addObject().put("x", "-Infinity").put("y", PxMath.exp(Double.NEGATIVE_INFINITY));
        ArrayNode expw = root.putArray("expw");
        for (double x : List.of(
                0.0,
                -1e-17,
                -0x1p-7,
                -0.0078125001,
                -0.5,
                -1.0,
                -10.0,
                -29.112,
                -31.9921875,
                -32.0,
                -32.00001,
                -100.0)) {
            expw.addObject().put("x", x).put("y", PxMath.expw(x));
        }
        ArrayNode ln = root.putArray("ln_px");
        for (double y : List.of(
                1.0,
                1.0000000000000002,
                1.5,
                PxMath.SQRT2,
                Math.nextUp(PxMath.SQRT2),
                2.0,
                3.0,
                10.0,
                1000.5,
                151_936.0)) {
            ln.addObject().put("y", y).put("ln", PxMath.lnAtLeastOne(y));
        }
        ArrayNode requestSeeds = root.putArray("seed_from_request_id");
        for (String id : List.of("", "req-1", "0b9c3f5e-6a1d-4e8f-9a7b-2c4d6e8f0a1b", "Ünïcödé ✓ 𝄞")) {
            requestSeeds.addObject().put("request_id", id).put("seed", SamplingParams.seedFromRequestId(id));
        }
        ArrayNode cases = root.putArray("cases");
        for (VectorCase c : SamplingVectorCases.all()) {
            cases.add(caseJson(c));
        }
        DefaultPrettyPrinter printer =
                new DefaultPrettyPrinter().withArrayIndenter(DefaultPrettyPrinter.FixedSpaceIndenter.instance);
        return new ObjectMapper().writer(printer).writeValueAsString(root) + "\n";
    }

    private static ObjectNode caseJson(VectorCase c) {
        ObjectNode v = F.objectNode();
        v.put("name", c.name());
        v.put("covers", c.covers());
        v.set("logits", c.logits().json(F));
        ArrayNode prompt = v.putArray("prompt");
        c.prompt().forEach(prompt::add);
        ArrayNode generated = v.putArray("generated");
        c.generated().forEach(generated::add);
        SamplingParams p = c.params();
        v.putObject("params")
                .put("temperature", p.temperature())
                .put("top_k", p.topK())
                .put("top_p", p.topP())
                .put("min_p", p.minP())
                .put("repetition_penalty", p.repetitionPenalty())
                .put("frequency_penalty", p.frequencyPenalty())
                .put("presence_penalty", p.presencePenalty())
                .put("seed", p.seed())
                .put("logprobs", p.logprobs())
                .put("top_logprobs", p.topLogprobs());
        v.put("choice", c.choice());
        v.put("step", c.step());
        VectorCase.Outcome out = c.run();
        ObjectNode expect = v.putObject("expect");
        expect.put("token", out.sampled().token());
        if (!p.greedy()) {
            expect.put("kept", out.kept()).put("total_weight", out.totalWeight());
            expect.put("u53", Philox.uniform53(p.seed(), c.choice(), c.step())).put("target", out.target());
        }
        SampledToken.Logprobs lp = out.sampled().logprobs();
        if (lp != null) {
            expect.put("logprob", lp.logprob());
            ArrayNode top = expect.putArray("top_logprobs");
            lp.top().forEach(t -> top.addArray().add(t.token()).add(t.logprob()));
        }
        return v;
    }

    private static ArrayNode hex(int... words) {
        ArrayNode a = F.arrayNode();
        for (int w : words) {
            a.add(String.format("%08x", w));
        }
        return a;
    }
}
