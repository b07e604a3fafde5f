package io.parallelix.node.daemon.http;

import io.netty.handler.codec.http.HttpMethod;
import io.parallelix.node.daemon.error.ApiException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The node's endpoints and the one method each accepts; {@code model} is set for /v2/models/* and
 * /v1/models/* (an OpenAI task request names its model in its body).
 */
public record Route(Endpoint endpoint, @Nullable String model) {
    /** The method each endpoint accepts and its label in metrics and logs. */
    private static String method(Endpoint e) {
        return switch (e) {
            case INFER, CHALLENGE, EMBEDDINGS, COMPLETIONS, CHAT_COMPLETIONS, VERIFY -> "POST";
            default -> "GET";
        };
    }

    static String label(Endpoint e) {
        return e.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static final Pattern MODEL_PATH =
            Pattern.compile("/v2/models/([A-Za-z0-9][A-Za-z0-9._-]{0,127})(/ready|/infer)?");
    private static final Pattern OPENAI_MODEL_PATH = Pattern.compile("/v1/models/([A-Za-z0-9][A-Za-z0-9._-]{0,127})");

    /** Matches path and method; unknown path → 404, known path with another method → 405. */
    static Route match(HttpMethod method, String path) {
        Route route = matchPath(path);
        if (route == null) {
            throw new ApiException.NotFound("no endpoint at " + clip(path));
        }
        if (!method(route.endpoint).equals(method.name())) {
            throw new ApiException.MethodNotAllowed(method.name(), method(route.endpoint));
        }
        return route;
    }

    private static @Nullable Route matchPath(String path) {
        return switch (path) {
            case "/v2/health/live" -> new Route(Endpoint.LIVE, null);
            case "/v2/health/ready" -> new Route(Endpoint.READY, null);
            case "/v2" -> new Route(Endpoint.SERVER_METADATA, null);
            case "/v1/node" -> new Route(Endpoint.NODE, null);
            case "/v1/node/challenge" -> new Route(Endpoint.CHALLENGE, null);
            case "/metrics" -> new Route(Endpoint.METRICS, null);
            case "/v1/embeddings" -> new Route(Endpoint.EMBEDDINGS, null);
            case "/v1/models" -> new Route(Endpoint.MODELS, null);
            case "/v1/completions" -> new Route(Endpoint.COMPLETIONS, null);
            case "/v1/chat/completions" -> new Route(Endpoint.CHAT_COMPLETIONS, null);
            case "/v1/verify" -> new Route(Endpoint.VERIFY, null);
            default -> {
                Matcher openAi = OPENAI_MODEL_PATH.matcher(path);
                if (openAi.matches()) {
                    yield new Route(Endpoint.MODEL, openAi.group(1));
                }
                Matcher m = MODEL_PATH.matcher(path);
                if (!m.matches()) {
                    yield null;
                }
                String suffix = m.group(2);
                Endpoint e = suffix == null
                        ? Endpoint.MODEL_METADATA
                        : suffix.equals("/ready") ? Endpoint.MODEL_READY : Endpoint.INFER;
                yield new Route(e, m.group(1));
            }
        };
    }

    private static String clip(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }
}
