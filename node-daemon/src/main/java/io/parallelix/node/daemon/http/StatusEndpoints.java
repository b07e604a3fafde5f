package io.parallelix.node.daemon.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.metrics.NodeMetrics;
import io.parallelix.node.daemon.protocol.Challenge;
import io.parallelix.node.daemon.protocol.ModelsList;
import io.parallelix.node.daemon.service.LoadingStatus;
import io.parallelix.node.daemon.service.NodeStatus;
import io.parallelix.node.gpu.LoadProgress;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The endpoints that are not tasks: health, metadata, identity and metrics are lookups answered on
 * the event loop; the key challenge is signed on a worker ({@link
 * io.parallelix.node.daemon.service.ChallengeSigner}). Before the engine is ready ({@code serving}
 * null) the node is live, not ready, and refuses everything else with 503.
 */
final class StatusEndpoints {
    private final Responses responses;
    private final ObjectMapper mapper;
    private final NodeMetrics metrics;
    private final LoadingStatus loading;

    StatusEndpoints(Responses responses, ObjectMapper mapper, NodeMetrics metrics) {
        this(responses, mapper, metrics, new LoadingStatus());
    }

    StatusEndpoints(Responses responses, ObjectMapper mapper, NodeMetrics metrics, LoadingStatus loading) {
        this.responses = responses;
        this.mapper = mapper;
        this.metrics = metrics;
        this.loading = loading;
    }

    /** The answer; completed at once for everything but the challenge, which signs on a worker. */
    CompletableFuture<FullHttpResponse> answer(
            ByteBufAllocator alloc, FullHttpRequest req, Route route, @Nullable Serving serving) {
        if (serving == null) {
            return CompletableFuture.completedFuture(loading(alloc, route, ErrorShape.of(req.uri())));
        }
        if (route.endpoint() == Endpoint.CHALLENGE) {
            return serving.challenges()
                    .sign(readChallenge(req))
                    .thenApply(r -> responses.json(alloc, HttpResponseStatus.OK, r));
        }
        return CompletableFuture.completedFuture(lookup(alloc, route, serving.status()));
    }

    private FullHttpResponse lookup(ByteBufAllocator alloc, Route route, NodeStatus status) {
        String model = route.model() == null ? "" : route.model();
        return switch (route.endpoint()) {
            case LIVE -> responses.json(alloc, HttpResponseStatus.OK, Map.of("live", status.live()));
            case READY -> readiness(alloc, status.ready());
            case SERVER_METADATA -> responses.json(alloc, HttpResponseStatus.OK, status.server());
            case MODEL_METADATA -> responses.json(alloc, HttpResponseStatus.OK, status.modelMetadata(model));
            case MODEL_READY -> readiness(alloc, status.modelReady(model));
            case NODE -> responses.json(alloc, HttpResponseStatus.OK, status.document());
            case METRICS -> metrics(alloc);
            case MODELS -> responses.json(alloc, HttpResponseStatus.OK, ModelsList.of(status.models()));
            case MODEL -> responses.json(alloc, HttpResponseStatus.OK, ModelsList.entry(status.model(model)));
            case CHALLENGE, INFER, EMBEDDINGS, COMPLETIONS, CHAT_COMPLETIONS, VERIFY ->
                throw new IllegalStateException(route.endpoint() + " is answered asynchronously");
        };
    }

    /**
     * A loading node: live, not ready with the reason (which model, its stage, bytes hashed), its
     * models listed not ready; everything else 503. Before the repository is scanned the answers
     * are the plain ones ({"ready": false}, 503 for the lists).
     */
    private FullHttpResponse loading(ByteBufAllocator alloc, Route route, ErrorShape shape) {
        List<LoadProgress> models = loading.models();
        String model = route.model() == null ? "" : route.model();
        return switch (route.endpoint()) {
            case LIVE -> responses.json(alloc, HttpResponseStatus.OK, Map.of("live", true));
            case READY ->
                models.isEmpty()
                        ? readiness(alloc, false)
                        : notReady(
                                alloc,
                                loading.reason(),
                                ModelsList.loading(models).data());
            case MODEL_READY ->
                find(models, model)
                        .map(p -> notReady(
                                alloc,
                                "the node is starting: " + LoadingStatus.describe(p),
                                List.of(ModelsList.loading(p))))
                        .orElseGet(() -> readiness(alloc, false));
            case METRICS -> metrics(alloc);
            case MODELS ->
                models.isEmpty()
                        ? refuse(alloc, shape)
                        : responses.json(alloc, HttpResponseStatus.OK, ModelsList.loading(models));
            case MODEL ->
                find(models, model)
                        .map(p -> responses.json(alloc, HttpResponseStatus.OK, ModelsList.loading(p)))
                        .orElseGet(() -> refuse(alloc, shape));
            default -> refuse(alloc, shape);
        };
    }

    private FullHttpResponse refuse(ByteBufAllocator alloc, ErrorShape shape) {
        return responses.error(alloc, new ApiException.Overloaded(loading.reason(), 5), shape);
    }

    private static Optional<LoadProgress> find(List<LoadProgress> models, String name) {
        return models.stream().filter(p -> p.model().equals(name)).findFirst();
    }

    /** {"ready": false, "reason": "...", "models": [the loading entries]}: 503, as any not-ready answer. */
    private FullHttpResponse notReady(ByteBufAllocator alloc, String reason, List<ModelsList.Entry> models) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ready", false);
        body.put("reason", reason);
        body.put("models", models);
        return responses.json(alloc, HttpResponseStatus.SERVICE_UNAVAILABLE, body);
    }

    private FullHttpResponse readiness(ByteBufAllocator alloc, boolean ready) {
        return responses.json(
                alloc, ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, Map.of("ready", ready));
    }

    private FullHttpResponse metrics(ByteBufAllocator alloc) {
        ByteBuf buf = alloc.buffer();
        try (ByteBufOutputStream out = new ByteBufOutputStream(buf)) {
            metrics.writeTo(out);
        } catch (IOException e) {
            buf.release();
            throw new ApiException.Internal("internal_error", "metrics unavailable", e);
        }
        return Responses.withBody(HttpResponseStatus.OK, buf, metrics.contentType());
    }

    private Challenge.Request readChallenge(FullHttpRequest req) {
        MediaTypes.requireJson(req);
        try (ByteBufInputStream in = new ByteBufInputStream(req.content().duplicate())) {
            Challenge.Request r = mapper.readValue((InputStream) in, Challenge.Request.class);
            if (r == null || r.nonce() == null) { // "null", {} and {"nonce": null} all bind
                throw new ApiException.BadRequest("nonce", "is required");
            }
            return r;
        } catch (IOException e) {
            throw new ApiException.BadRequest("nonce", "body must be {\"nonce\": \"<hex>\"}");
        }
    }
}
