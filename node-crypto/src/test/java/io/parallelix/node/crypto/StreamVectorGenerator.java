package io.parallelix.node.crypto;

import static io.parallelix.node.crypto.StreamFixture.concat;
import static io.parallelix.node.crypto.StreamFixture.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Writes docs/test-vectors/openai-stream-v1.json (scripts/gen-test-vectors.sh): signed streams in
 * the form of {@link SignedStream}, under the TEST-ONLY key of poe-v1.json. The events are
 * OpenAI-shaped chunks written out here, as the generation endpoints send them; the trailer is
 * node-crypto's own. StreamVectorsTest checks the code still reproduces the file and that the Java
 * verifier and scripts/verify_envelope.py agree on every case.
 *
 * <p>Usage: {@code StreamVectorGenerator POE_V1.json OUT.json}.
 */
public final class StreamVectorGenerator {
    static final String COMPLETIONS = "openai.completions.v1+sse";
    static final String CHAT = "openai.chat.completions.v1+sse";
    static final String META = "{\"model\":\"test-gen\",\"model_sha256\":\"" + "ab".repeat(32)
            + "\",\"inputs_sha256\":\"" + "cd".repeat(32) + "\",\"timings_us\":{\"queue\":0,\"total\":0}}";

    private final ObjectMapper json = new ObjectMapper();
    private final JsonNode key;
    private final NodeKey nodeKey;

    StreamVectorGenerator(JsonNode poeVectorsKey) throws KeyException {
        this.key = poeVectorsKey;
        this.nodeKey =
                KeyFiles.parsePrivateKey(key.get("private_key_pem").asText().getBytes(StandardCharsets.US_ASCII), null);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: StreamVectorGenerator POE_V1.json OUT.json");
            System.exit(2);
        }
        JsonNode poe = new ObjectMapper().readTree(Path.of(args[0]).toFile());
        ObjectNode doc = new StreamVectorGenerator(poe.get("key")).build();
        Files.writeString(
                Path.of(args[1]),
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc) + "\n",
                StandardCharsets.UTF_8);
        System.out.println("wrote " + args[1]);
    }

    ObjectNode build() {
        ObjectNode doc = json.createObjectNode();
        doc.put("title", "pxnode signed streams (SSE, OpenAI stream: true): test vectors");
        doc.put("warning", key.get("warning").asText());
        doc.put("spec", "docs/protocol.md (Signed streams)");
        doc.put(
                "generator",
                "scripts/gen-test-vectors.sh (node-crypto/src/test/java/io/parallelix/node/crypto/StreamVectorGenerator.java)");
        ObjectNode defs = doc.putObject("definitions");
        defs.put("result_b64", "the signed result: every byte of the stream before the trailer line, base64");
        defs.put("rs256_stream", "the whole stream as the node sends it (UTF-8), signed RS256: byte-exact");
        defs.put("ps256_stream", "the same events signed PS256 (randomized: verify only)");
        defs.put("text", "each choice's generated text, joined over the chunks, and its finish_reason");
        defs.put(
                "negative_stream_cases",
                "must be rejected; stream_b64 is the whole stream, expected_request_id (when present) the id"
                        + " the coordinator allocated; expect_failed_check is the first failing check in the order"
                        + " stream, request_id, sig_alg, node_id, poe, signature");
        doc.set("key", key.deepCopy());
        ArrayNode cases = doc.putArray("stream_cases");
        cases.add(positive(
                "completion",
                "req_01J9ZS0001",
                COMPLETIONS,
                completion(),
                text("text_completion", choice(0, "Hello \"w\u00f6rld\"\n", "length")),
                "three text_completion chunks (an escaped quote and newline, UTF-8 text), then a usage chunk"));
        cases.add(positive(
                "chat-two-choices",
                "pxnode-00112233445566778899aabbccddeeff",
                CHAT,
                chat(),
                text("chat.completion.chunk", choice(0, "Hi \ud83c\udf0d", "stop"), choice(1, "Yo", "length")),
                "n=2 chat chunks interleaved, a role delta first, a node-allocated request id"));
        cases.add(positive(
                "empty-result",
                "req_01J9ZS0003",
                COMPLETIONS,
                new byte[0],
                json.createObjectNode().putNull("object").set("choices", json.createArrayNode()),
                "no events at all: the trailer is the first line and the signed result is empty"));
        doc.set("negative_stream_cases", new StreamNegativeVectors(nodeKey, META).build(completion(), chat()));
        return doc;
    }

    static byte[] completion() {
        String head =
                "{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1700000000,\"model\":\"test-gen\",";
        return events(
                head + "\"choices\":[{\"index\":0,\"text\":\"Hello \",\"logprobs\":null,\"finish_reason\":null}]}",
                head
                        + "\"choices\":[{\"index\":0,\"text\":\"\\\"w\u00f6rld\\\"\",\"logprobs\":null,\"finish_reason\":null}]}",
                head + "\"choices\":[{\"index\":0,\"text\":\"\\n\",\"logprobs\":null,\"finish_reason\":\"length\"}]}",
                head + "\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":3,\"total_tokens\":6}}");
    }

    static byte[] chat() {
        String head = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"test-gen\",";
        return events(
                head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                        + "\"logprobs\":null,\"finish_reason\":null},{\"index\":1,\"delta\":{\"role\":\"assistant\","
                        + "\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}",
                head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi \"},\"logprobs\":null,"
                        + "\"finish_reason\":null}]}",
                head + "\"choices\":[{\"index\":1,\"delta\":{\"content\":\"Yo\"},\"logprobs\":null,"
                        + "\"finish_reason\":\"length\"}]}",
                head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\ud83c\udf0d\"},\"logprobs\":null,"
                        + "\"finish_reason\":null}]}",
                head + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}");
    }

    private ObjectNode positive(
            String name, String requestId, String format, byte[] result, JsonNode text, String comment) {
        ObjectNode c = json.createObjectNode();
        c.put("name", name);
        c.put("comment", comment);
        c.put("request_id", requestId);
        c.put("result_format", format);
        c.put("result_b64", Base64.getEncoder().encodeToString(result));
        c.put("rs256_stream", utf8(signed(SigAlg.RS256, requestId, format, result)));
        c.put("ps256_stream", utf8(signed(SigAlg.PS256, requestId, format, result)));
        c.set("text", text);
        return c;
    }

    private byte[] signed(SigAlg alg, String requestId, String format, byte[] result) {
        try {
            SignedResult s = new ResultSigner(nodeKey, alg, CryptoProvider.JDK).sign(requestId, result);
            return concat(result, SignedStream.trailer(s, format, META));
        } catch (KeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode text(String object, ObjectNode... choices) {
        ObjectNode t = json.createObjectNode().put("object", object);
        t.putArray("choices").addAll(java.util.List.of(choices));
        return t;
    }

    private ObjectNode choice(int index, String text, String finishReason) {
        return json.createObjectNode().put("index", index).put("text", text).put("finish_reason", finishReason);
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
