package io.parallelix.node.gpu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a decoder's Hugging Face files say about generating: the context length (config.json's
 * {@code max_position_embeddings}, GPT-2's {@code n_positions}; genai_config.json's
 * {@code context_length}) and the end-of-sequence ids (generation_config.json's
 * {@code eos_token_id}, an id or a list, which transformers' generate uses; else config.json's).
 * A field of the wrong kind is refused by name rather than guessed.
 */
record DecoderFacts(int maxPositions, List<Integer> eosIds) {
    static final String CONFIG = "config.json";
    static final String GENERATION_CONFIG = "generation_config.json";
    static final String GENAI_CONFIG = "genai_config.json";

    DecoderFacts {
        eosIds = List.copyOf(eosIds);
    }

    static DecoderFacts read(String model, Path dir, ObjectMapper json) throws EngineException {
        JsonNode config = file(model, dir.resolve(CONFIG), json);
        JsonNode generation = file(model, dir.resolve(GENERATION_CONFIG), json);
        JsonNode genai = file(model, dir.resolve(GENAI_CONFIG), json);
        int positions = positive(model, CONFIG, config, "max_position_embeddings");
        if (positions == 0) {
            positions = positive(model, CONFIG, config, "n_positions");
        }
        if (positions == 0) {
            positions = positive(model, GENAI_CONFIG, genai.path("model"), "context_length");
        }
        Set<Integer> eos = new LinkedHashSet<>(ids(model, GENERATION_CONFIG, generation));
        if (eos.isEmpty()) {
            eos.addAll(ids(model, CONFIG, config));
        }
        return new DecoderFacts(positions, new ArrayList<>(eos));
    }

    private static JsonNode file(String model, Path file, ObjectMapper json) throws EngineException {
        if (!Files.isRegularFile(file)) {
            return json.missingNode();
        }
        try {
            JsonNode node = json.readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw new IOException("not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new EngineException("model '" + model + "': " + file.getFileName() + " is not valid JSON: "
                    + OrtMessages.of(e) + ". Fix: restore it from the model's export.");
        }
    }

    private static int positive(String model, String file, JsonNode node, String field) throws EngineException {
        JsonNode v = node.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return 0;
        }
        if (!v.canConvertToExactIntegral() || !v.canConvertToInt() || v.intValue() < 1) {
            throw new EngineException("model '" + model + "': " + file + " has " + field + " = " + v
                    + ", not a positive integer. Fix: restore it from the model's export.");
        }
        return v.intValue();
    }

    private static List<Integer> ids(String model, String file, JsonNode node) throws EngineException {
        JsonNode v = node.path("eos_token_id");
        List<Integer> ids = new ArrayList<>();
        if (v.isMissingNode() || v.isNull()) {
            return ids;
        }
        for (JsonNode id : v.isArray() ? v : List.of(v)) {
            if (!id.canConvertToExactIntegral() || !id.canConvertToInt() || id.intValue() < 0) {
                throw new EngineException("model '" + model + "': " + file + " has eos_token_id " + v
                        + ", not a token id or a list of them. Fix: restore it from the model's export.");
            }
            ids.add(id.intValue());
        }
        return ids;
    }
}
