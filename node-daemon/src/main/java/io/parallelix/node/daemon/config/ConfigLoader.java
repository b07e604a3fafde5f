package io.parallelix.node.daemon.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Builds the effective {@link NodeConfig}: built-in defaults ← YAML file ← PXNODE_* environment ←
 * command-line overrides. Every leaf key has an environment variable: PXNODE_ + the dotted path in
 * upper case with dots as underscores (server.max_body_bytes → PXNODE_SERVER_MAX_BODY_BYTES);
 * lists are comma-separated there.
 */
public final class ConfigLoader {
    private static final String DEFAULTS = "/pxnode-defaults.yaml";
    private static final List<String> PATH_KEYS =
            List.of("data_dir", "key.file", "key.passphrase_file", "engine.models_dir");

    private final YAMLMapper mapper;
    private final Map<String, String> env;
    private final Path home;

    public ConfigLoader(Map<String, String> env, Path home) {
        this.env = Map.copyOf(env);
        this.home = home;
        SimpleModule values = new SimpleModule("values")
                .addDeserializer(Duration.class, new Durations.Deserializer())
                .addSerializer(Duration.class, new Durations.Serializer())
                // Jackson writes a Path as a file:/// URI; --print-config shows paths as they are typed.
                .addSerializer(Path.class, ToStringSerializer.instance);
        this.mapper = YAMLMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .addModule(values)
                .build();
    }

    /** @param overrides dotted keys (e.g. "engine.provider") to values, from flags */
    public NodeConfig load(@Nullable Path file, Map<String, String> overrides) throws ConfigException {
        ObjectNode tree = defaults();
        Map<String, JsonNode> leaves = new LinkedHashMap<>();
        collectLeaves(tree, "", leaves);
        if (file != null) {
            merge(tree, readFile(file), "");
        }
        for (String key : leaves.keySet()) {
            String value = env.get(envName(key));
            if (value != null) {
                set(tree, key, leaves.get(key) instanceof ArrayNode ? csv(value) : TextNode.valueOf(value));
            }
        }
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            if (!leaves.containsKey(o.getKey())) {
                throw new ConfigException("unknown config key '" + o.getKey() + "'");
            }
            set(tree, o.getKey(), TextNode.valueOf(o.getValue()));
        }
        for (String key : PATH_KEYS) {
            JsonNode v = get(tree, key);
            if (v != null
                    && v.isTextual()
                    && (v.asText().equals("~") || v.asText().startsWith("~/"))) {
                set(tree, key, TextNode.valueOf(home + v.asText().substring(1)));
            }
        }
        return bind(tree, file);
    }

    /** The effective configuration as YAML, for {@code serve --print-config}. */
    public String render(NodeConfig config) {
        try {
            return mapper.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("config is always serializable", e);
        }
    }

    /** PXNODE_SERVER_MAX_BODY_BYTES for server.max_body_bytes. */
    public static String envName(String dottedKey) {
        return "PXNODE_" + dottedKey.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /** Every leaf key of the configuration, dotted. */
    public List<String> keys() {
        Map<String, JsonNode> leaves = new LinkedHashMap<>();
        collectLeaves(defaults(), "", leaves);
        return new ArrayList<>(leaves.keySet());
    }

    private ObjectNode defaults() {
        try (InputStream in = Objects.requireNonNull(ConfigLoader.class.getResourceAsStream(DEFAULTS), DEFAULTS)) {
            return (ObjectNode) mapper.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("built-in defaults unreadable", e);
        }
    }

    private JsonNode readFile(Path file) throws ConfigException {
        try {
            JsonNode node = mapper.readTree(Files.readString(file));
            if (node == null || node.isMissingNode() || node.isNull()) {
                return JsonNodeFactory.instance.objectNode();
            }
            if (!node.isObject()) {
                throw new ConfigException(file + ": the top level must be a mapping of keys");
            }
            return node;
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ": not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void merge(ObjectNode into, JsonNode from, String prefix) throws ConfigException {
        Iterator<Map.Entry<String, JsonNode>> fields = from.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode existing = into.get(f.getKey());
            if (existing instanceof ObjectNode obj && f.getValue().isObject()) {
                merge(obj, f.getValue(), prefix + f.getKey() + ".");
            } else if (existing instanceof ObjectNode && f.getValue().isNull()) {
                continue; // "server:" with nothing under it: keep the defaults
            } else if (existing instanceof ObjectNode) {
                throw new ConfigException("config key '" + prefix + f.getKey() + "' must be a mapping");
            } else {
                into.set(f.getKey(), f.getValue()); // unknown keys are reported by bind()
            }
        }
    }

    private static void collectLeaves(JsonNode node, String prefix, Map<String, JsonNode> out) {
        node.fields().forEachRemaining(f -> {
            if (f.getValue().isObject()) {
                collectLeaves(f.getValue(), prefix + f.getKey() + ".", out);
            } else {
                out.put(prefix + f.getKey(), f.getValue());
            }
        });
    }

    private static @Nullable JsonNode get(ObjectNode tree, String key) {
        JsonNode n = tree;
        for (String part : key.split("\\.")) {
            n = n == null ? null : n.get(part);
        }
        return n;
    }

    private static void set(ObjectNode tree, String key, JsonNode value) {
        String[] parts = key.split("\\.");
        ObjectNode n = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            n = n.withObject("/" + parts[i]);
        }
        n.set(parts[parts.length - 1], value);
    }

    private static ArrayNode csv(String value) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                a.add(part.trim());
            }
        }
        return a;
    }

    private NodeConfig bind(ObjectNode tree, @Nullable Path file) throws ConfigException {
        String where = file == null ? "config" : file.toString();
        try {
            return mapper.treeToValue(tree, NodeConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(where + ": unknown key '" + path(e) + "'; known keys here: "
                    + String.join(
                            ", ",
                            e.getKnownPropertyIds().stream()
                                    .map(Object::toString)
                                    .sorted()
                                    .toList()));
        } catch (JsonMappingException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            if (root instanceof IllegalArgumentException) {
                throw new ConfigException(where + ": " + keyed(tree, path(e), String.valueOf(root.getMessage())));
            }
            throw new ConfigException(where + ": " + path(e) + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new ConfigException(where + ": " + e.getOriginalMessage());
        }
    }

    /**
     * A record's own check (e.g. node-gpu's CudaOptions: "gpu_mem_limit must be >= 0") names a key
     * of the mapping at {@code path}; joined, the message names the whole key
     * ("engine.cuda.gpu_mem_limit must be >= 0"). Other messages keep the path in front.
     */
    private static String keyed(ObjectNode tree, String path, String message) {
        int end = 0;
        while (end < message.length() && (Character.isLowerCase(message.charAt(end)) || message.charAt(end) == '_')) {
            end++;
        }
        JsonNode at = get(tree, path);
        boolean namesAKey = end > 0 && at != null && at.isObject() && at.has(message.substring(0, end));
        return namesAKey ? path + "." + message : path + ": " + message;
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "(top level)" : sb.toString();
    }
}
