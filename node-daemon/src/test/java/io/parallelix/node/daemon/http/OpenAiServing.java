package io.parallelix.node.daemon.http;

import io.parallelix.node.crypto.NodeKey;
import io.parallelix.node.crypto.ResultSigner;
import io.parallelix.node.daemon.metrics.NodeMetrics;
import io.parallelix.node.daemon.protocol.EmbeddingsDecoder;
import io.parallelix.node.daemon.protocol.EmbeddingsLimits;
import io.parallelix.node.daemon.protocol.InferRequestDecoder;
import io.parallelix.node.daemon.protocol.Json;
import io.parallelix.node.daemon.protocol.ModelPeek;
import io.parallelix.node.daemon.service.ChallengeSigner;
import io.parallelix.node.daemon.service.FakeEngine;
import io.parallelix.node.daemon.service.InferenceService;
import io.parallelix.node.daemon.service.NodeStatus;
import io.parallelix.node.daemon.service.ReplayGuard;
import io.parallelix.node.daemon.service.ServiceLimits;
import io.parallelix.node.daemon.task.EmbeddingRunner;
import io.parallelix.node.daemon.task.TensorRunner;
import io.parallelix.node.gpu.EmbeddingInfo;
import io.parallelix.node.gpu.ModelInfo;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/** A node's serving parts on the fake engine: "add" (tensors) and "e" (8-dim embeddings, 16 tokens). */
final class OpenAiServing {
    static final EmbeddingInfo EMBEDDING = new EmbeddingInfo(8, 16, 30522, "mean", true, false);
    private static final Json json = new Json(1 << 20);

    private OpenAiServing() {}

    static FakeEngine engine() {
        return FakeEngine.of(List.of("add"), List.of(FakeEngine.embedding("e", EMBEDDING)));
    }

    static Serving serving(
            ResultSigner signer, NodeKey key, Executor workers, int queue, long timeoutMillis, NodeMetrics metrics) {
        FakeEngine engine = engine();
        for (ModelInfo m : engine.models()) {
            metrics.model(m.name(), m.provider(), m.deterministic(), m.ready());
        }
        InferenceService service = new InferenceService(new InferenceService.Parts(
                engine,
                signer,
                metrics,
                workers,
                Clock.systemUTC(),
                new ServiceLimits(queue, Duration.ofMillis(timeoutMillis)),
                ReplayGuard.off(Clock.systemUTC())));
        return new Serving(
                service,
                new NodeStatus(engine, service, key, signer, "test"),
                new ChallengeSigner(signer, workers, 2),
                Map.of(
                        Endpoint.INFER,
                        new TensorEndpoint(
                                new InferRequestDecoder(json.factory()), new TensorRunner(engine), json.mapper()),
                        Endpoint.EMBEDDINGS,
                        endpoint(engine)));
    }

    static EmbeddingsEndpoint endpoint(FakeEngine engine) {
        return new EmbeddingsEndpoint(
                new EmbeddingsEndpoint.Parts(
                        new EmbeddingsDecoder(json.factory(), EmbeddingsLimits.DEFAULT),
                        new EmbeddingRunner(engine),
                        new ModelPeek(json.factory()),
                        new RequestIdHeader(new SecureRandom())),
                json.mapper());
    }
}
