package io.parallelix.node.daemon.service;

import io.parallelix.node.gpu.EmbeddingRequest;
import io.parallelix.node.gpu.EmbeddingResult;
import io.parallelix.node.gpu.Engine;
import io.parallelix.node.gpu.InferenceException;
import io.parallelix.node.gpu.InferenceRequest;
import io.parallelix.node.gpu.InferenceResult;
import io.parallelix.node.gpu.ModelInfo;
import io.parallelix.node.gpu.ModelTask;
import io.parallelix.node.gpu.RuntimeFingerprint;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An engine without ONNX Runtime, for tests of the layers above it: serves the named models and
 * answers a tensor run with the request id's bytes as the "result".
 */
public final class FakeEngine implements Engine {
    public static final String SHA256 = "ab".repeat(32);

    private final List<ModelInfo> models;

    public FakeEngine(String... names) {
        this.models = Arrays.stream(names).sorted().map(FakeEngine::info).toList();
    }

    private static ModelInfo info(String name) {
        return new ModelInfo(
                name,
                SHA256,
                List.of(),
                List.of(),
                "FakeExecutionProvider",
                List.of(),
                1,
                true,
                true,
                ModelTask.TENSOR,
                null);
    }

    @Override
    public List<ModelInfo> models() {
        return models;
    }

    @Override
    public Optional<ModelInfo> model(String name) {
        return models.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    @Override
    public RuntimeFingerprint fingerprint() {
        return new RuntimeFingerprint("0.0.0-fake", "FakeExecutionProvider", null, null, null, null, true);
    }

    @Override
    public EmbeddingResult embed(EmbeddingRequest request) throws InferenceException {
        throw new InferenceException.InvalidInput("model", "the fake engine serves no embedding model");
    }

    @Override
    public InferenceResult infer(InferenceRequest request) throws InferenceException {
        byte[] result = request.requestId().getBytes(StandardCharsets.UTF_8);
        return new InferenceResult(result, SHA256, "cd".repeat(32), "FakeExecutionProvider", 0, 0, 0, 0);
    }
}
