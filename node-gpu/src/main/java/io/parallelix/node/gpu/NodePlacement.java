package io.parallelix.node.gpu;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How ORT placed a model's nodes on providers. The Java API has no call for it, but ORT's profile
 * records each executed kernel with its provider: the engine profiles the first session's warm-up
 * and canary, then ends profiling (which stops it for good) and counts distinct nodes per provider.
 */
final class NodePlacement {
    private NodePlacement() {}

    /** Provider -> number of distinct nodes run there; empty if the profile could not be read. */
    static Map<String, Integer> collect(OrtSession session, ObjectMapper json) {
        Path profile = null;
        try {
            String file = session.endProfiling();
            if (file.isEmpty()) {
                return Map.of();
            }
            profile = Path.of(file);
            return count(json.readTree(profile.toFile()));
        } catch (OrtException | IOException | RuntimeException e) {
            return Map.of();
        } finally {
            if (profile != null) {
                try {
                    Files.deleteIfExists(profile);
                } catch (IOException e) {
                    // a stray profile in the engine's temporary directory, removed with it
                }
            }
        }
    }

    static Map<String, Integer> count(JsonNode events) {
        Map<String, Set<String>> nodes = new HashMap<>();
        for (JsonNode event : events) {
            String name = event.path("name").asText("");
            String provider = event.path("args").path("provider").asText("");
            if ("Node".equals(event.path("cat").asText()) && name.endsWith("_kernel_time") && !provider.isEmpty()) {
                nodes.computeIfAbsent(provider, p -> new HashSet<>()).add(name);
            }
        }
        Map<String, Integer> counts = new TreeMap<>();
        nodes.forEach((provider, names) -> counts.put(provider, names.size()));
        return counts;
    }
}
