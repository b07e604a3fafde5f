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
                "/metricsx"
            })
    void match_unknownPath_isNotFound(String path) {
        assertThatThrownBy(() -> Route.match(HttpMethod.GET, path)).isInstanceOf(ApiException.NotFound.class);
    }

    @ParameterizedTest
    @CsvSource({"GET, /v2/models/add/infer, POST", "POST, /v2/health/live, GET", "DELETE, /v1/node, GET"})
    void match_wrongMethod_isMethodNotAllowedNamingTheAllowedOne(String method, String path, String allowed) {
        assertThatThrownBy(() -> Route.match(HttpMethod.valueOf(method), path))
                .isInstanceOfSatisfying(
                        ApiException.MethodNotAllowed.class,
                        e -> assertThat(e.allow()).isEqualTo(allowed));
    }

    @org.junit.jupiter.api.Test
    void match_modelNameOver128Chars_isNotFound() {
        String name = "m".repeat(129);
        assertThatThrownBy(() -> Route.match(HttpMethod.GET, "/v2/models/" + name))
                .isInstanceOf(ApiException.NotFound.class);
    }
}
