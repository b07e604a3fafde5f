package io.parallelix.node.gpu.testing;

import io.parallelix.node.gpu.testing.DecoderSpec.Architecture;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes generated decoder-only language models with a KV cache into a model repository,
 * {@code <modelsDir>/<name>/}, in Hugging Face Optimum's text-generation-with-past layout: the
 * graph (inputs input_ids, attention_mask, position_ids, past_key_values.{i}.key|value; outputs
 * logits, present.{i}.key|value), config.json, generation_config.json, tokenizer.json,
 * tokenizer_config.json (with a chat_template) and special_tokens_map.json. Weights are random
 * from the spec's seed; the same spec always writes the same bytes. Masking and padding:
 * {@link DecoderGraph}; the model directory: docs/test-decoders.md.
 *
 * <p>{@link #REFERENCE_WEIGHTS} holds the same weights under HF's state-dict names and layouts for
 * scripts/decoder_reference.py (numpy, no project code), which recomputes every step without a
 * cache; the node ignores that file (it is neither a known file nor referenced by the graph).
 */
public final class TestDecoders {
    /** The tiny GPT-2-style model's default name. */
    public static final String GPT2 = "tiny-gpt2";
    /** The tiny Llama-style model's default name. */
    public static final String LLAMA = "tiny-llama";
    /** The reference's copy of the weights: a NumPy .npz, FP32, HF names and layouts. */
    public static final String REFERENCE_WEIGHTS = "reference_weights.npz";
    /** Where weights go with {@link DecoderSpec#externalData()}: beside the graph, as Optimum names it. */
    public static final String EXTERNAL_DATA = "model.onnx_data";

    private TestDecoders() {}

    /**
     * GPT-2 style, tiny: vocabulary 384, hidden 64, 2 layers, 4 heads, MLP 256, 128 positions, tied
     * lm_head, FP32 cache, inline weights, reference weights written.
     */
    public static DecoderSpec gpt2(String name) {
        return new DecoderSpec(
                name,
                Architecture.GPT2,
                384,
                64,
                2,
                4,
                4,
                256,
                128,
                10_000,
                1e-5,
                true,
                false,
                1,
                "model.onnx",
                false,
                true);
    }

    /**
     * Llama style, tiny: vocabulary 384, hidden 64, 2 layers, 4 heads over 2 KV heads (head_dim 16),
     * SwiGLU 128, 256 positions, rope_theta 10000, untied lm_head, FP32 cache, inline weights,
     * reference weights written.
     */
    public static DecoderSpec llama(String name) {
        return new DecoderSpec(
                name,
                Architecture.LLAMA,
                384,
                64,
                2,
                4,
                2,
                128,
                256,
                10_000,
                1e-5,
                false,
                false,
                2,
                "model.onnx",
                false,
                true);
    }

    /**
     * Llama style, large enough that a step costs milliseconds (the benchmark's model): vocabulary
     * 32,000, hidden 512, 8 layers, 8 heads over 4 KV heads (head_dim 64), SwiGLU 1408, 2048
     * positions, untied lm_head: 56.4 M weights, 225 MB of external data, no reference copy. Writing
     * takes about 5 s; on one CPU thread a 128-token prefill takes about 0.3 s and a decode step
     * about 45 ms (docs/test-decoders.md).
     */
    public static DecoderSpec llamaBench(String name) {
        return new DecoderSpec(
                name,
                Architecture.LLAMA,
                32_000,
                512,
                8,
                8,
                4,
                1408,
                2048,
                10_000,
                1e-5,
                false,
                false,
                3,
                "model.onnx",
                true,
                false);
    }

    public static Path writeGpt2(Path modelsDir) {
        return write(modelsDir, gpt2(GPT2));
    }

    public static Path writeLlama(Path modelsDir) {
        return write(modelsDir, llama(LLAMA));
    }

    /** Writes the model directory {@code <modelsDir>/<spec.name()>} and returns it. */
    public static Path write(Path modelsDir, DecoderSpec spec) {
        try {
            Path dir = Files.createDirectories(modelsDir.resolve(spec.name()));
            Path model = dir.resolve(spec.modelPath());
            Files.createDirectories(Objects.requireNonNull(model.getParent()));
            if (spec.externalData()) {
                try (CountingStream data = new CountingStream(model.resolveSibling(EXTERNAL_DATA))) {
                    Files.write(model, DecoderGraph.build(spec, (graph, t) -> {
                        long offset = data.count;
                        write(spec, t, data);
                        graph.externalInitializer(
                                t.onnxName(),
                                OnnxGraph.FLOAT,
                                t.onnxDims(),
                                EXTERNAL_DATA,
                                offset,
                                data.count - offset);
                    }));
                }
            } else {
                Files.write(model, DecoderGraph.build(spec, (graph, t) -> {
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    write(spec, t, bytes);
                    graph.initializer(t.onnxName(), OnnxGraph.FLOAT, t.onnxDims(), bytes.toByteArray());
                }));
            }
            if (spec.referenceWeights()) {
                try (NpzWriter npz = new NpzWriter(dir.resolve(REFERENCE_WEIGHTS))) {
                    for (DecoderWeights.Tensor t : DecoderWeights.of(spec)) {
                        npz.add(t.name(), t.shape(), out -> DecoderWeights.writeHfLayout(spec.seed(), t, out));
                    }
                }
            }
            DecoderFiles.write(dir, spec);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(DecoderSpec spec, DecoderWeights.Tensor t, OutputStream out) {
        try {
            DecoderWeights.writeOnnxLayout(spec.seed(), t, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The external data file, counting the bytes written (the next tensor's offset). */
    private static final class CountingStream extends OutputStream {
        private final OutputStream out;
        long count;

        CountingStream(Path file) throws IOException {
            this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
