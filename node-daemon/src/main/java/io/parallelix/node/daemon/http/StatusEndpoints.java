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
import io.parallelix.node.daemon.service.NodeStatus;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
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

    StatusEndpoints(Responses responses, ObjectMapper mapper, NodeMetrics metrics) {
        this.responses = responses;
        this.mapper = mapper;
        this.metrics = metrics;
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

    private FullHttpResponse loading(ByteBufAllocator alloc, Route route, ErrorShape shape) {
        return switch (route.endpoint()) {
            case LIVE -> responses.json(alloc, HttpResponseStatus.OK, Map.of("live", true));
            case READY, MODEL_READY -> readiness(alloc, false);
            case METRICS -> metrics(alloc);
            default ->
                responses.error(
                        alloc, new ApiException.Overloaded("the node is starting: its models are loading", 5), shape);
        };
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
