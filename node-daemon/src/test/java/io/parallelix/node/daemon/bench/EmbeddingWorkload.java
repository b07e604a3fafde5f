package io.parallelix.node.daemon.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * An embeddings benchmark workload: the texts of one /v1/embeddings request for the bundled
 * MiniLM. {@code emb-N} is one text of N tokens with [CLS] and [SEP] ("hello world world ...");
 * {@code emb-batchK} is K different 16-token texts in one request.
 */
record EmbeddingWorkload(String name, List<String> texts) {
    private static final List<String> FIRST = List.of(
            "hello", "good", "many", "some", "every", "small", "large", "quick", "slow", "green", "blue", "old", "new",
            "happy", "quiet", "bright", "dark", "warm", "cold", "early", "late", "young", "long", "short", "high",
            "low", "fast", "clean", "fresh", "strong", "soft", "rich");

    static EmbeddingWorkload byName(String name) {
        if (name.startsWith("emb-batch")) {
            int n = Integer.parseInt(name.substring("emb-batch".length()));
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                texts.add(text(FIRST.get(i % FIRST.size()), 16));
            }
            return new EmbeddingWorkload(name, texts);
        }
        if (name.startsWith("emb-")) {
            return new EmbeddingWorkload(name, List.of(text("hello", Integer.parseInt(name.substring(4)))));
        }
        throw new IllegalArgumentException("unknown embeddings workload '" + name + "' (emb-<tokens>, emb-batch<n>)");
    }

    /** {@code first} then "world" until {@code tokens} with [CLS] and [SEP] (each word one MiniLM token). */
    private static String text(String first, int tokens) {
        return first + " world".repeat(tokens - 3);
    }

    /** The request body, as the openai client sends it (floats asked for explicitly). */
    String json(String model) {
        StringBuilder s = new StringBuilder("{\"model\":\"").append(model).append("\",\"input\":[");
        for (int i = 0; i < texts.size(); i++) {
            s.append(i == 0 ? "" : ",").append('"').append(texts.get(i)).append('"');
        }
        return s.append("],\"encoding_format\":\"float\"}").toString();
    }
}
