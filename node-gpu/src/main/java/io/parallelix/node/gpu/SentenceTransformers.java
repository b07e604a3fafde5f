package io.parallelix.node.gpu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a sentence-transformers export says about pooling: modules.json lists the modules
 * (Transformer, Pooling, Normalize); the Pooling module's config.json names the mode;
 * sentence_bert_config.json bounds the tokens. A module we cannot reproduce (Dense, a lowercasing
 * step, a weighted mean) refuses the model rather than serve other vectors than the original.
 */
record SentenceTransformers(@Nullable Pooling pooling, boolean normalize, int maxSeqLength) {
    private static final String PREFIX = "sentence_transformers.models.";

    static boolean present(Path dir) {
        return Files.isRegularFile(dir.resolve("modules.json"));
    }

    static SentenceTransformers read(String model, Path dir, ObjectMapper json) throws EngineException {
        JsonNode modules = readJson(dir.resolve("modules.json"), json);
        if (modules == null) {
            return new SentenceTransformers(null, false, 0);
        }
        Pooling pooling = null;
        boolean normalize = false;
        for (JsonNode module : modules) {
            String type = module.path("type").asText("");
            String path = module.path("path").asText("");
            switch (type.startsWith(PREFIX) ? type.substring(PREFIX.length()) : type) {
                case "Transformer" -> {}
                case "Pooling" -> pooling = pooling(model, dir.resolve(path).resolve("config.json"), json);
                case "Normalize" -> normalize = true;
                default ->
                    throw new EngineException("model '" + model + "': modules.json has a " + Echo.clip(type)
                            + " module, which the node does not run (it serves Transformer, Pooling and Normalize)."
                            + " Fix: export the model without it, or serve it as task: tensor.");
            }
        }
        JsonNode sbert = readJson(dir.resolve("sentence_bert_config.json"), json);
        if (sbert != null && sbert.path("do_lower_case").asBoolean(false)) {
            throw new EngineException("model '" + model + "': sentence_bert_config.json sets do_lower_case, a Python"
                    + " lower() before tokenizing that the node does not reproduce. Fix: use a tokenizer.json that"
                    + " lowercases (its normalizer), or serve it as task: tensor.");
        }
        return new SentenceTransformers(
                pooling,
                normalize,
                sbert == null ? 0 : sbert.path("max_seq_length").asInt(0));
    }

    private static Pooling pooling(String model, Path config, ObjectMapper json) throws EngineException {
        JsonNode node = readJson(config, json);
        if (node == null) {
            throw new EngineException("model '" + model + "': modules.json names a Pooling module but " + config
                    + " is missing. Fix: copy the whole sentence-transformers export.");
        }
        List<Pooling> on = new ArrayList<>();
        for (Pooling p : Pooling.values()) {
            if (node.path(p.stKey()).asBoolean(false)) {
                on.add(p);
            }
        }
        for (String unsupported : List.of("pooling_mode_mean_sqrt_len_tokens", "pooling_mode_weightedmean_tokens")) {
            if (node.path(unsupported).asBoolean(false)) {
                throw new EngineException(
                        "model '" + model + "': " + config + " sets " + unsupported + ", which the"
                                + " node does not run. Fix: set embedding.pooling in its config.yaml only if that is intended.");
            }
        }
        if (on.size() != 1) {
            throw new EngineException("model '" + model + "': " + config + " turns on " + on.size() + " pooling modes;"
                    + " the node runs exactly one (mean, cls, max, last_token). Fix: set embedding.pooling in its"
                    + " config.yaml.");
        }
        return on.get(0);
    }

    /** A JSON file of the model directory, or null when it is absent. */
    static @Nullable JsonNode readJson(Path file, ObjectMapper json) throws EngineException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return json.readTree(file.toFile());
        } catch (IOException e) {
            throw new EngineException(
                    file + " is not valid JSON: " + OrtMessages.of(e) + ". Fix: restore it from the"
                            + " model's export.",
                    e);
        }
    }
}
