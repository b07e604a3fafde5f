package io.parallelix.node.gpu.text;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Parses {@code tokenizer_config.json} into a {@link TokenizerConfig}, field by field. */
final class ConfigReader {
    static final int MAX_FILE_BYTES = 16 << 20;
    // transformers writes int(1e30) for "no limit"; anything from 1e12 on means the same.
    private static final BigDecimal NO_LIMIT = new BigDecimal("1e12");

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Path file;

    private ConfigReader(Path file) {
        this.file = file;
    }

    static TokenizerConfig read(Path file) throws TokenizerException {
        return new ConfigReader(file).parse(load(file));
    }

    private TokenizerConfig parse(JsonNode root) throws TokenizerException {
        if (!root.isObject()) {
            throw error("the top level", "must be a JSON object");
        }
        return new TokenizerConfig(
                modelMaxLength(root.get("model_max_length")),
                token(root, "bos_token"),
                token(root, "eos_token"),
                token(root, "pad_token"),
                token(root, "unk_token"),
                bool(root, "add_bos_token"),
                bool(root, "add_eos_token"),
                templates(root.get("chat_template")),
                bool(root, "clean_up_tokenization_spaces"));
    }

    private int modelMaxLength(@Nullable JsonNode node) throws TokenizerException {
        if (node == null || node.isNull()) {
            return 0;
        }
        if (!node.isNumber()) {
            throw error("model_max_length", "must be a number, got " + node.getNodeType());
        }
        BigDecimal value = node.decimalValue();
        if (value.compareTo(NO_LIMIT) >= 0) {
            return 0;
        }
        if (value.signum() < 0
                || value.stripTrailingZeros().scale() > 0
                || value.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            throw error(
                    "model_max_length",
                    "must be a whole number from 0 to 2^31-1 (or >= 1e12 for no limit), got " + node);
        }
        return value.intValueExact();
    }

    /** A special token: a string, an AddedToken object {@code {"content": ...}}, or null. */
    private @Nullable String token(JsonNode root, String field) throws TokenizerException {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        JsonNode content = node.isObject() ? node.get("content") : null;
        if (content != null && content.isTextual()) {
            return content.textValue();
        }
        throw error(field, "must be a string, an object with a string \"content\", or null; got " + node.getNodeType());
    }

    private @Nullable Boolean bool(JsonNode root, String field) throws TokenizerException {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isBoolean()) {
            throw error(field, "must be true, false or null; got " + node.getNodeType());
        }
        return node.booleanValue();
    }

    private Map<String, String> templates(@Nullable JsonNode node) throws TokenizerException {
        Map<String, String> templates = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return templates;
        }
        if (node.isTextual()) {
            templates.put(TokenizerConfig.DEFAULT_TEMPLATE, node.textValue());
            return templates;
        }
        if (!node.isArray()) {
            throw error("chat_template", "must be a string or a list of {name, template}; got " + node.getNodeType());
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            JsonNode name = item.get("name");
            JsonNode template = item.get("template");
            if (name == null || !name.isTextual() || template == null || !template.isTextual()) {
                throw error("chat_template[" + i + "]", "must be an object with string \"name\" and \"template\"");
            }
            if (templates.put(name.textValue(), template.textValue()) != null) {
                throw error("chat_template[" + i + "]", "repeats the name \"" + name.textValue() + "\"");
            }
        }
        return templates;
    }

    private TokenizerException error(String field, String what) {
        return new TokenizerException(
                file + ": " + field + " " + what + ". Fix: use the tokenizer_config.json the model was exported with.");
    }

    private static JsonNode load(Path file) throws TokenizerException {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new TokenizerException(file + " has " + size + " bytes, more than the " + MAX_FILE_BYTES
                        + " a tokenizer_config.json may have here");
            }
            return JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new TokenizerException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
