package io.parallelix.node.daemon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.parallelix.node.gpu.EmbeddingInfo;
import io.parallelix.node.gpu.GenerationInfo;
import io.parallelix.node.gpu.ModelInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The config.yaml pxnode models add writes: the export's own (if it had one) with the digest
 * pinned, the task the load detected, and the bounds the load derived made explicit (an embedding
 * model's max_tokens, also as limits.max_sequence for the tensor endpoint; a generation model's
 * context and output lengths), so the operator sees and can lower them. Keys the export set stay.
 */
final class ModelsConfig {
    static final String FILE_NAME = "config.yaml";

    private ModelsConfig() {}

    static void write(Path modelDir, ModelInfo info) throws IOException {
        ObjectMapper yaml = new ObjectMapper(YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .build());
        Path file = modelDir.resolve(FILE_NAME);
        JsonNode existing = Files.isRegularFile(file) ? yaml.readTree(file.toFile()) : null;
        ObjectNode root = existing instanceof ObjectNode o ? o : yaml.createObjectNode();
        root.put("sha256", info.sha256());
        root.put("task", info.task().wireName());
        EmbeddingInfo e = info.embedding();
        if (e != null) {
            section(yaml, root, "embedding").putIfAbsent("max_tokens", root.numberNode(e.maxTokens()));
            section(yaml, root, "limits").putIfAbsent("max_sequence", root.numberNode(e.maxTokens()));
        }
        GenerationInfo g = info.generation();
        if (g != null) {
            ObjectNode generation = section(yaml, root, "generation");
            generation.putIfAbsent("context_length", root.numberNode(g.contextLength()));
            generation.putIfAbsent("max_new_tokens", root.numberNode(g.maxNewTokens()));
        }
        Path partial = modelDir.resolve(FILE_NAME + ".partial");
        Files.writeString(
                partial,
                "# written by pxnode models add: the digest of every file that can change a result (the node\n"
                        + "# refuses to load the model if it changes), the detected task, the bounds the load found.\n"
                        + yaml.writeValueAsString(root));
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static ObjectNode section(ObjectMapper yaml, ObjectNode root, String key) {
        JsonNode s = root.get(key);
        if (s instanceof ObjectNode o) {
            return o;
        }
        ObjectNode created = yaml.createObjectNode();
        root.set(key, created);
        return created;
    }
}
