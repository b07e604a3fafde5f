package io.parallelix.node.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.HttpMethod;
import io.parallelix.node.daemon.error.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RouteTest {
    @ParameterizedTest
    @CsvSource({
        "GET, /v2/health/live, LIVE, ",
        "GET, /v2/health/ready, READY, ",
        "GET, /v2, SERVER_METADATA, ",
        "GET, /v2/models/add, MODEL_METADATA, add",
        "GET, /v2/models/all-minilm-l6-v2/ready, MODEL_READY, all-minilm-l6-v2",
        "POST, /v2/models/m.v1_x/infer, INFER, m.v1_x",
        "GET, /v1/node, NODE, ",
        "POST, /v1/node/challenge, CHALLENGE, ",
        "GET, /metrics, METRICS, ",
        "POST, /v1/embeddings, EMBEDDINGS, ",
        "GET, /v1/models, MODELS, ",
        "GET, /v1/models/all-minilm-l6-v2, MODEL, all-minilm-l6-v2",
    })
    void match_knownPath_givesEndpointAndModel(String method, String path, Endpoint endpoint, String model) {
        Route r = Route.match(HttpMethod.valueOf(method), path);
        assertThat(r.endpoint()).isEqualTo(endpoint);
        assertThat(r.model()).isEqualTo(model);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/",
                "/v2/",
                "/v2/models",
                "/v2/models/",
                "/v2/models/a/b/infer",
                "/v2/models/../x",
                "/v2/models/-x",
                "/v1/node/",
                "/metricsx",
                "/v1/embeddings/",
                "/v1/models/",
                "/v1/models/BAAI/bge-small"
            })
    void match_unknownPath_isNotFound(String path) {
        assertThatThrownBy(() -> Route.match(HttpMethod.GET, path)).isInstanceOf(ApiException.NotFound.class);
    }

    @ParameterizedTest
    @CsvSource({
        "GET, /v2/models/add/infer, POST",
        "POST, /v2/health/live, GET",
        "DELETE, /v1/node, GET",
        "GET, /v1/embeddings, POST",
        "POST, /v1/models, GET"
    })
    void match_wrongMethod_isMethodNotAllowedNamingTheAllowedOne(String method, String path, String allowed) {
        assertThatThrownBy(() -> Route.match(HttpMethod.valueOf(method), path))
                .isInstanceOfSatisfying(
                        ApiException.MethodNotAllowed.class,
                        e -> assertThat(e.allow()).isEqualTo(allowed));
    }

    @ParameterizedTest
    @CsvSource({
        "/v1/embeddings, OPENAI",
        "/v1/models?x=1, OPENAI",
        "/v1/chat/completions, OPENAI",
        "/v1/unknown, OPENAI",
        "/v1/node, NODE",
        "/v1/node/challenge, NODE",
        "/v1/nodes, OPENAI",
        "/v1, NODE",
        "/v2/models/m/infer, NODE",
        "/metrics, NODE"
    })
    void errorShape_openAiUnderV1ExceptTheNodesOwnPaths(String uri, ErrorShape shape) {
        assertThat(ErrorShape.of(uri)).isEqualTo(shape);
    }

    @org.junit.jupiter.api.Test
    void match_modelNameOver128Chars_isNotFound() {
        String name = "m".repeat(129);
        assertThatThrownBy(() -> Route.match(HttpMethod.GET, "/v2/models/" + name))
                .isInstanceOf(ApiException.NotFound.class);
    }
}
