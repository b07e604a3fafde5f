package io.parallelix.node.gpu;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code <model dir>/config.yaml}. Unknown keys are errors (a misspelt pin must not be
 * silently ignored); every message names the key path, e.g. "canary.expected[0].data".
 */
final class ModelConfigReader {
    static final String FILE_NAME = "config.yaml";

    private final ObjectMapper yaml;

    ModelConfigReader() {
        this.yaml = new ObjectMapper(YAMLFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build());
    }

    /** The model's config, or defaults when it has no config file; IOException or IllegalArgumentException. */
    ModelConfig read(Path modelDir) throws IOException {
        Path file = modelDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return ModelConfig.defaults();
        }
        JsonNode root = yaml.readTree(file.toFile());
        if (root == null || root.isMissingNode() || root.isNull()) {
            return ModelConfig.defaults();
        }
        object(
                root,
                "",
                Set.of(
                        "sha256",
                        "instances",
                        "deterministic",
                        "disable_cpu_ep_fallback",
                        "max_concurrency",
                        "intra_op_threads",
                        "limits",
                        "warmup",
                        "canary",
                        "task",
                        "embedding",
                        "generation"));
        JsonNode warmup = root.path("warmup");
        JsonNode canary = root.path("canary");
        if (!warmup.isMissingNode()) {
            object(warmup, "warmup.", Set.of("runs", "inputs"));
        }
        if (!canary.isMissingNode()) {
            object(canary, "canary.", Set.of("inputs", "expected", "tolerance"));
        }
        double tolerance =
                canary.path("tolerance").isMissingNode() ? 0 : number(canary.path("tolerance"), "canary.tolerance");
        return new ModelConfig(
                sha256(root.path("sha256")),
                integer(root.path("instances"), "instances", 1, 1),
                bool(root.path("deterministic"), "deterministic"),
                bool(root.path("disable_cpu_ep_fallback"), "disable_cpu_ep_fallback"),
                integer(root.path("max_concurrency"), "max_concurrency", 0, 1),
                integer(root.path("intra_op_threads"), "intra_op_threads", 0, 1),
                integer(warmup.path("runs"), "warmup.runs", 1, 0),
                limits(root.path("limits")),
                tensors(warmup.path("inputs"), "warmup.inputs"),
                tensors(canary.path("inputs"), "canary.inputs"),
                expected(canary.path("expected"), tolerance),
                task(root.path("task")),
                embedding(root.path("embedding")),
                generation(root.path("generation")));
    }

    private static GenerationSettings generation(JsonNode node) {
        if (node.isMissingNode()) {
            return GenerationSettings.defaults();
        }
        object(node, "generation.", Set.of("context_length", "max_new_tokens", "max_sequences", "kv_cache_mib"));
        return new GenerationSettings(
                integer(node.path("context_length"), "generation.context_length", 0, 1),
                integer(node.path("max_new_tokens"), "generation.max_new_tokens", 0, 1),
                integer(node.path("max_sequences"), "generation.max_sequences", 0, 1),
                integer(
                        node.path("kv_cache_mib"),
                        "generation.kv_cache_mib",
                        GenerationSettings.DEFAULT_KV_CACHE_MIB,
                        1));
    }

    private static @Nullable ModelTask task(JsonNode node) {
        if (node.isMissingNode()) {
            return null;
        }
        String name = text(node, "task");
        return Arrays.stream(ModelTask.values())
                .filter(t -> t.wireName().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "task must be tensor, embedding or generation, got '" + name + "'"));
    }

    private static EmbeddingSettings embedding(JsonNode node) {
        if (node.isMissingNode()) {
            return EmbeddingSettings.defaults();
        }
        object(node, "embedding.", Set.of("pooling", "normalize", "max_tokens", "truncatable_dimensions"));
        Pooling pooling = null;
        if (!node.path("pooling").isMissingNode()) {
            String name = text(node.path("pooling"), "embedding.pooling");
            pooling = Pooling.fromWireName(name)
                    .orElseThrow(() -> new IllegalArgumentException(
                            "embedding.pooling must be mean, cls, max or last_token, got '" + name + "'"));
        }
        Boolean normalize =
                node.path("normalize").isMissingNode() ? null : bool(node.path("normalize"), "embedding.normalize");
        return new EmbeddingSettings(
                pooling,
                normalize,
                integer(node.path("max_tokens"), "embedding.max_tokens", 0, 1),
                bool(node.path("truncatable_dimensions"), "embedding.truncatable_dimensions"));
    }

    /** Absent keys keep InputLimits' defaults; max_elements_per_input defaults to max_total_elements. */
    private static InputLimits limits(JsonNode node) {
        if (node.isMissingNode()) {
            return InputLimits.defaults();
        }
        object(node, "limits.", Set.of("max_batch", "max_sequence", "max_elements_per_input", "max_total_elements"));
        int total = integer(
                node.path("max_total_elements"),
                "limits.max_total_elements",
                (int) InputLimits.DEFAULT_MAX_TOTAL_ELEMENTS,
                1);
        return new InputLimits(
                integer(node.path("max_batch"), "limits.max_batch", 0, 1),
                integer(node.path("max_sequence"), "limits.max_sequence", 0, 1),
                integer(node.path("max_elements_per_input"), "limits.max_elements_per_input", total, 1),
                total);
    }

    private static @Nullable String sha256(JsonNode node) {
        if (node.isMissingNode()) {
            return null;
        }
        if (!node.isTextual()) {
            // YAML reads an unquoted all-digit digest as a number and drops its leading zeros.
            throw new IllegalArgumentException("sha256 must be a string of 64 hex digits (quote it), got " + node);
        }
        String hex = node.textValue();
        if (hex.length() != 64 || !hex.chars().allMatch(HexFormat::isHexDigit)) {
            throw new IllegalArgumentException("sha256 must be 64 hex digits, got '" + hex + "'");
        }
        return hex.toLowerCase(Locale.ROOT);
    }

    private static @Nullable List<InputTensor> tensors(JsonNode node, String path) {
        if (node.isMissingNode()) {
            return null;
        }
        List<InputTensor> out = new ArrayList<>();
        for (int i = 0; i < list(node, path).size(); i++) {
            JsonNode t = node.get(i);
            String at = path + "[" + i + "]";
            object(t, at + ".", Set.of("name", "datatype", "shape", "data"));
            String name = text(t.path("name"), at + ".name");
            String datatype = text(t.path("datatype"), at + ".datatype");
            DataType type = DataType.fromOipName(datatype)
                    .orElseThrow(() -> new IllegalArgumentException(
                            at + ".datatype must be an OIP datatype (FP32, INT64, BYTES, ...), got " + datatype));
            List<Long> shape = shape(t.path("shape"), at + ".shape");
            List<JsonNode> data = list(t.path("data"), at + ".data");
            long count = Shapes.elementCount(shape);
            if (count != data.size()) {
                throw new IllegalArgumentException(
                        at + ".data has " + data.size() + " values; shape " + shape + " needs " + count);
            }
            try {
                out.add(new InputTensor(name, type, shape, ConfigValues.encode(type, data)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + "." + e.getMessage(), e);
            }
        }
        return out;
    }

    private static List<ModelConfig.Expected> expected(JsonNode node, double tolerance) {
        List<ModelConfig.Expected> out = new ArrayList<>();
        if (node.isMissingNode()) {
            return out;
        }
        List<JsonNode> entries = list(node, "canary.expected");
        for (int i = 0; i < entries.size(); i++) {
            JsonNode e = entries.get(i);
            String at = "canary.expected[" + i + "]";
            object(e, at + ".", Set.of("name", "shape", "data", "tolerance"));
            List<Double> numbers = new ArrayList<>();
            List<String> strings = new ArrayList<>();
            List<JsonNode> data = list(e.path("data"), at + ".data");
            for (int k = 0; k < data.size(); k++) {
                JsonNode v = data.get(k);
                if (v.isTextual()) {
                    strings.add(v.textValue());
                } else if (v.isNumber() || v.isBoolean()) {
                    numbers.add(v.isBoolean() ? (v.booleanValue() ? 1.0 : 0.0) : v.doubleValue());
                } else {
                    throw new IllegalArgumentException(at + ".data[" + k + "] must be a number, boolean or string");
                }
            }
            if (!numbers.isEmpty() && !strings.isEmpty()) {
                throw new IllegalArgumentException(at + ".data mixes numbers and strings");
            }
            double tol =
                    e.path("tolerance").isMissingNode() ? tolerance : number(e.path("tolerance"), at + ".tolerance");
            List<Long> shape = e.path("shape").isMissingNode() ? null : shape(e.path("shape"), at + ".shape");
            out.add(new ModelConfig.Expected(text(e.path("name"), at + ".name"), shape, numbers, strings, tol));
        }
        return out;
    }

    private static void object(JsonNode node, String path, Set<String> allowed) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(
                    (path.isEmpty() ? FILE_NAME : path.substring(0, path.length() - 1)) + " must be a mapping");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("unknown key '" + path + key + "'; known keys: " + allowed);
            }
        }
    }

    private static List<JsonNode> list(JsonNode node, String path) {
        if (!node.isArray()) {
            throw new IllegalArgumentException(path + " must be a list");
        }
        List<JsonNode> out = new ArrayList<>();
        node.forEach(out::add);
        return out;
    }

    private static List<Long> shape(JsonNode node, String path) {
        List<Long> shape = new ArrayList<>();
        for (JsonNode d : list(node, path)) {
            if (!d.canConvertToExactIntegral() || !d.canConvertToLong() || d.longValue() < 0) {
                throw new IllegalArgumentException(path + " must list non-negative integers, got " + node);
            }
            shape.add(d.longValue());
        }
        return shape;
    }

    private static String text(JsonNode node, String path) {
        if (!node.isTextual() || node.textValue().isEmpty()) {
            throw new IllegalArgumentException(path + " must be a non-empty string");
        }
        return node.textValue();
    }

    private static boolean bool(JsonNode node, String path) {
        if (node.isMissingNode()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw new IllegalArgumentException(path + " must be true or false, got " + node);
        }
        return node.booleanValue();
    }

    private static double number(JsonNode node, String path) {
        if (!node.isNumber() || node.doubleValue() < 0) {
            throw new IllegalArgumentException(path + " must be a non-negative number, got " + node);
        }
        return node.doubleValue();
    }

    private static int integer(JsonNode node, String path, int absent, int min) {
        if (node.isMissingNode()) {
            return absent;
        }
        if (!node.canConvertToExactIntegral() || !node.canConvertToInt() || node.intValue() < min) {
            throw new IllegalArgumentException(path + " must be an integer >= " + min + ", got " + node);
        }
        return node.intValue();
    }
}
