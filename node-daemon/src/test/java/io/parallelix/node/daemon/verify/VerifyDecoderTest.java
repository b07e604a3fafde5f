package io.parallelix.node.daemon.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parallelix.node.crypto.KeyFiles;
import io.parallelix.node.daemon.TestNode;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every way a verify request can be malformed is a BadRequest naming the field and carrying the id. */
class VerifyDecoderTest {
    private static final ObjectMapper MAPPER = new Json(1 << 20).mapper();
    private static String pem;

    private final VerifyDecoder decoder = new VerifyDecoder(MAPPER);

    @BeforeAll
    static void key() throws Exception {
        pem = KeyFiles.publicKeyPem(TestNode.newKey().publicKey());
    }

    private static ObjectNode ok() {
        ObjectNode b = MAPPER.createObjectNode().put("model", "m").put("endpoint", "/v1/completions");
        b.putObject("request").put("model", "theirs").put("prompt", "hi");
        ObjectNode answer = b.putObject("answer").put("body", "{}");
        answer.putObject("headers").put("Pxnode-Poe", "00");
        b.put("public_key", pem);
        return b;
    }

    private VerifyRequest decode(String body) {
        return decoder.decode(body.getBytes(StandardCharsets.UTF_8), "verify-7", "m");
    }

    @Test
    void aWellFormedRequest_decodesEachAnswerForm() {
        VerifyRequest r = decode(ok().toString());
        assertThat(r.kind()).isEqualTo(VerifyRequest.Kind.COMPLETIONS);
        assertThat(r.requestId()).isEqualTo("verify-7");
        assertThat(new String(r.request(), StandardCharsets.UTF_8)).contains("\"prompt\":\"hi\"");
        assertThat(r.answer()).isInstanceOf(VerifyRequest.Answer.Body.class);
        ObjectNode stream = ok();
        stream.putObject("answer").put("stream", "data: {}\n\n");
        assertThat(decode(stream.toString()).answer()).isInstanceOf(VerifyRequest.Answer.Stream.class);
        ObjectNode infer = ok().put("endpoint", "/v2/models/add/infer");
        assertThat(decode(infer.toString()).kind()).isEqualTo(VerifyRequest.Kind.INFER);
    }

    @Test
    void everyMalformedField_isNamed() {
        Map<String, Consumer<ObjectNode>> cases = new LinkedHashMap<>();
        cases.put("endpoint", b -> b.put("endpoint", "/v1/elsewhere"));
        cases.put("endpoint ", b -> b.remove("endpoint"));
        cases.put("request", b -> b.put("request", "a string"));
        cases.put("request ", b -> b.remove("request"));
        cases.put("answer", b -> b.remove("answer"));
        cases.put("answer ", b -> ((ObjectNode) b.get("answer")).put("stream", "x"));
        cases.put("answer.headers", b -> ((ObjectNode) b.get("answer")).remove("headers"));
        cases.put(
                "answer.headers.Pxnode-Poe", b -> ((ObjectNode) b.get("answer").get("headers")).put("Pxnode-Poe", 1));
        cases.put("answer.body", b -> ((ObjectNode) b.get("answer")).put("body", 5));
        cases.put("answer.nonsense", b -> ((ObjectNode) b.get("answer")).put("nonsense", 1));
        cases.put("answer.envelope", b -> b.putObject("answer").put("envelope", "not an object"));
        cases.put(
                "public_key", b -> b.put("public_key", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"));
        cases.put("public_key ", b -> b.remove("public_key"));
        cases.put("extra", b -> b.put("extra", true));
        for (Map.Entry<String, Consumer<ObjectNode>> c : cases.entrySet()) {
            ObjectNode b = ok();
            c.getValue().accept(b);
            assertThatThrownBy(() -> decode(b.toString()))
                    .as(c.getKey())
                    .isInstanceOfSatisfying(ApiException.BadRequest.class, e -> {
                        assertThat(e.field()).isEqualTo(c.getKey().trim());
                        assertThat(e.requestId()).isEqualTo("verify-7");
                    });
        }
    }

    @Test
    void tooManyHeaders_andNotJson_areRefused() {
        ObjectNode b = ok();
        ObjectNode h = ((ObjectNode) b.get("answer")).putObject("headers");
        for (int i = 0; i <= VerifyDecoder.MAX_HEADERS; i++) {
            h.put("h" + i, "v");
        }
        assertThatThrownBy(() -> decode(b.toString()))
                .isInstanceOfSatisfying(
                        ApiException.BadRequest.class,
                        e -> assertThat(e.field()).isEqualTo("answer.headers"));
        assertThatThrownBy(() -> decode("{not json"))
                .isInstanceOfSatisfying(
                        ApiException.BadRequest.class,
                        e -> assertThat(e.field()).isNull());
        assertThatThrownBy(() -> decode("[1]")).isInstanceOf(ApiException.BadRequest.class);
    }
}
