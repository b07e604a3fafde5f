package io.parallelix.node.daemon.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parallelix.node.daemon.error.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ModelPeekTest {
    private static final Json json = new Json(1 << 20);
    private final ModelPeek peek = new ModelPeek(json.factory());

    private String model(String body) {
        return peek.model(body.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"model\":\"m\",\"input\":\"x\"}",
                " \n{ \"input\" : [\"a\\\"],{\", \"b\"] , \"model\" : \"m\" }",
                "{\"input\":[[1,2,[3]],[4]],\"dimensions\":8,\"user\":null,\"model\":\"m\"}",
                "{\"x\":{\"model\":\"nested\",\"y\":[{}]},\"truncate\":true,\"model\":\"m\"}",
                "{\"input\":\"\\\\\",\"model\":\"m\"}",
                "{\"mod\\u0065l\":\"m\"}",
                "{\"model\":\"\\u006d\"}",
                "{\"input\":\"caf\u00e9 \ud83d\ude00\",\"model\":\"m\"}",
            })
    void model_whereverItIsAndHoweverItIsWritten_isFound(String body) {
        assertThat(model(body)).isEqualTo("m");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"input\":\"x\"}                | model | is required",
                "{}                                 | model | is required",
                "{\"model\":3}                      | model | must be a string",
                "{\"model\":null}                   | model | must be a string",
                "{\"model\":[\"m\"]}                | model | must be a string",
                "{\"model\":\"\"}                   | model | printable ASCII",
                "{\"model\":\"a b\"}                | model | printable ASCII",
                "{\"model\":\"a\\nb\"}              | model | printable ASCII",
                "{\"model\":\"caf\u00e9\"}          | model | printable ASCII",
            })
    void model_missingOrNotAServableName_namesTheField(String body, String field, String message) {
        assertThatThrownBy(() -> model(body.strip()))
                .isInstanceOfSatisfying(
                        ApiException.BadRequest.class,
                        e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageContaining(message);
    }

    @Test
    void model_nameLongerThan128_isRefused() {
        assertThat(model("{\"model\":\"" + "m".repeat(128) + "\"}")).hasSize(128);
        assertThatThrownBy(() -> model("{\"model\":\"" + "m".repeat(129) + "\"}"))
                .isInstanceOf(ApiException.BadRequest.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "[]", "\"m\"", "null", "\ufeff{\"model\":\"m\"}"})
    void model_bodyNotAnObject_isRefused(String body) {
        assertThatThrownBy(() -> model(body))
                .isInstanceOf(ApiException.BadRequest.class)
                .hasMessageContaining("must be a JSON object");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{",
                "{\"input\"",
                "{\"input\":",
                "{\"input\":[1,2",
                "{\"input\":\"abc",
                "{\"input\" 1}",
                "{\"input\":1 2,\"model\":\"m\"}",
                "{\"input\":[1}],\"model\":\"m\"}",
                "{\"model\":\"m",
                "{\"input\":,\"model\":\"m\"}",
                "{\"mod\\x\":\"m\"}",
                "{input:1}"
            })
    void model_malformedBeforeTheModel_isABadRequestNotACrash(String body) {
        assertThatThrownBy(() -> model(body)).isInstanceOf(ApiException.BadRequest.class);
    }

    /** Seeded: random bodies, the model at a random place among random values; Jackson is the judge. */
    @Test
    void model_randomBodies_agreeWithJackson() throws Exception {
        long seed = new Random().nextLong();
        Random r = new Random(seed);
        ObjectMapper mapper = json.mapper();
        for (int n = 0; n < 2000; n++) {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            int fields = r.nextInt(5);
            int at = r.nextInt(fields + 1);
            String name = name(r);
            for (int i = 0; i <= fields; i++) {
                if (i == at) {
                    body.put("model", name);
                } else {
                    body.set("f" + i + text(r, 3), value(r, 0));
                }
            }
            byte[] bytes = (r.nextBoolean() ? mapper.writerWithDefaultPrettyPrinter() : mapper.writer())
                    .writeValueAsBytes(body);
            assertThat(peek.model(bytes))
                    .as("seed %d: %s", seed, new String(bytes, StandardCharsets.UTF_8))
                    .isEqualTo(mapper.readTree(bytes).get("model").asText());
        }
    }

    private static String name(Random r) {
        String chars = "abcXYZ019._-:/\"\\";
        StringBuilder sb = new StringBuilder();
        for (int i = 1 + r.nextInt(20); i > 0; i--) {
            sb.append(chars.charAt(r.nextInt(chars.length())));
        }
        return sb.toString();
    }

    private static com.fasterxml.jackson.databind.JsonNode value(Random r, int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (depth > 3 ? r.nextInt(4) : r.nextInt(6)) {
            case 0:
                return f.textNode(text(r, 12));
            case 1:
                return f.numberNode(r.nextInt(100_000) - 50_000);
            case 2:
                return r.nextBoolean() ? f.numberNode(r.nextDouble() * 1e6) : f.booleanNode(r.nextBoolean());
            case 3:
                return f.nullNode();
            case 4:
                ArrayNode a = f.arrayNode();
                for (int i = r.nextInt(6); i > 0; i--) {
                    a.add(value(r, depth + 1));
                }
                return a;
            default:
                ObjectNode o = f.objectNode();
                List<String> keys = new ArrayList<>(List.of("model", "input", "x" + text(r, 2)));
                for (int i = r.nextInt(3); i >= 0; i--) {
                    o.set(keys.get(i), value(r, depth + 1));
                }
                return o;
        }
    }

    /** Quotes, backslashes, brackets, control characters and non-ASCII: what a naive scan gets wrong. */
    private static String text(Random r, int max) {
        String chars = "ab\"\\[]{},: \n\t\u00e9\u4e2d\ud83d\ude00";
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(max + 1); i > 0; i--) {
            int k = r.nextInt(chars.length());
            char c = chars.charAt(k);
            if (Character.isHighSurrogate(c)) {
                sb.append(c).append(chars.charAt(k + 1));
            } else if (!Character.isLowSurrogate(c)) {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
