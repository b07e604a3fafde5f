package io.parallelix.node.daemon.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.parallelix.node.crypto.CryptoProvider;
import io.parallelix.node.crypto.KeyFiles;
import io.parallelix.node.crypto.NodeKey;
import io.parallelix.node.crypto.ResultSigner;
import io.parallelix.node.crypto.SigAlg;
import io.parallelix.node.daemon.protocol.EmbeddingJson;
import io.parallelix.node.daemon.protocol.EmbeddingsRequest;
import io.parallelix.node.daemon.protocol.EnvelopeMeta;
import io.parallelix.node.daemon.protocol.Json;
import io.parallelix.node.daemon.protocol.StageTimings;
import io.parallelix.node.daemon.service.FakeEngine;
import io.parallelix.node.daemon.service.SignedAnswer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;

/**
 * Writes docs/test-vectors/openai-embeddings-v1.json (scripts/gen-test-vectors.sh) with the node's
 * own code: the body {@link EmbeddingJson} writes, the head the embeddings endpoint's answer gets
 * from Netty's encoder, signed under the TEST-ONLY key of poe-v1.json. OpenAiVectorsTest checks
 * the code still reproduces it; scripts/verify_envelope.py --vectors checks it independently.
 *
 * <p>Usage: {@code OpenAiVectorGenerator POE_V1.json OUT.json}.
 */
public final class OpenAiVectorGenerator {
    static final String MODEL = "test-embed";
    private static final EmbeddingsRequest.Encoding FLOAT = EmbeddingsRequest.Encoding.FLOAT;
    private static final EmbeddingsRequest.Encoding BASE64 = EmbeddingsRequest.Encoding.BASE64;

    private final ObjectMapper mapper = new Json(1 << 20).mapper();
    private final JsonNode key;
    private final NodeKey nodeKey;
    private final PoeHeaders headers = new PoeHeaders(mapper);

    OpenAiVectorGenerator(JsonNode poeVectorsKey) throws Exception {
        this.key = poeVectorsKey;
        this.nodeKey = readKey(key.get("private_key_pem").asText());
    }

    /** Through a 0600 file, the one way node-crypto reads a private key (it checks the file's mode). */
    private static NodeKey readKey(String pem) throws Exception {
        Path dir = Files.createTempDirectory(
                "pxnode-vectors", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path file = dir.resolve("key.pem");
        try {
            Files.writeString(
                    Files.createFile(
                            file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                    pem,
                    StandardCharsets.US_ASCII);
            return KeyFiles.readPrivateKey(file, null);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: OpenAiVectorGenerator POE_V1.json OUT.json");
            System.exit(2);
        }
        JsonNode poe = new ObjectMapper().readTree(Path.of(args[0]).toFile());
        ObjectNode doc = new OpenAiVectorGenerator(poe.get("key")).build();
        Files.writeString(
                Path.of(args[1]),
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc) + "\n",
                StandardCharsets.UTF_8);
        System.out.println("wrote " + args[1]);
    }

    ObjectNode build() throws Exception {
        ObjectNode doc = mapper.createObjectNode();
        doc.put("title", "pxnode PoE in headers: OpenAI-shaped embeddings answers, test vectors");
        doc.put("warning", key.get("warning").asText());
        doc.put("spec", "docs/protocol.md (PoE in headers; OpenAI embeddings answer)");
        doc.put(
                "generator",
                "scripts/gen-test-vectors.sh (node-daemon/src/test/java/io/parallelix/node/daemon/http/OpenAiVectorGenerator.java)");
        doc.put("result_format", EmbeddingJson.RESULT_FORMAT);
        ObjectNode defs = doc.putObject("definitions");
        defs.put("body", "the exact response body: the signed result (UTF-8 text of ASCII JSON)");
        defs.put("vectors_f32_hex", "each vector's float32 values, big-endian hex, 8 digits per value");
        defs.put("rs256_headers", "the response head as the node writes it (curl -D form); RS256: byte-exact");
        defs.put("ps256_headers", "the same answer signed PS256 (randomized: verify only)");
        defs.put(
                "negative_header_cases",
                "must be rejected; expect_failed_check is the first failing check in the order request_id,"
                        + " sig_alg, node_id, poe, signature");
        doc.set("key", key.deepCopy());
        ArrayNode cases = doc.putArray("header_cases");
        cases.add(positive("float-edge-values", "req_01J9ZP6V3Q8X", List.of(edges(), unit(16, 13)), FLOAT, 9));
        cases.add(positive("base64-one-input", "req_01J9ZP6V3Q8Y", List.of(unit(16, 13)), BASE64, 4));
        cases.add(positive(
                "node-allocated-id",
                "pxnode-00112233445566778899aabbccddeeff",
                List.of(unit(8, 7), unit(8, 8), unit(8, 9)),
                FLOAT,
                12));
        doc.set("negative_header_cases", OpenAiNegativeVectors.build(cases.get(0), cases.get(1), otherNodeId()));
        return doc;
    }

    private ObjectNode positive(
            String name, String requestId, List<float[]> vectors, EmbeddingsRequest.Encoding enc, int tokens)
            throws Exception {
        byte[] body = EmbeddingJson.write(MODEL, vectors, enc, tokens);
        ObjectNode c = mapper.createObjectNode();
        c.put("name", name);
        c.put("request_id", requestId);
        c.put("model", MODEL);
        c.put("encoding", enc.name().toLowerCase(java.util.Locale.ROOT));
        c.put("prompt_tokens", tokens);
        ArrayNode hex = c.putArray("vectors_f32_hex");
        for (float[] v : vectors) {
            StringBuilder sb = new StringBuilder();
            for (float f : v) {
                sb.append(String.format("%08x", Float.floatToRawIntBits(f)));
            }
            hex.add(sb.toString());
        }
        c.put("body", new String(body, StandardCharsets.UTF_8));
        c.put("rs256_headers", head(SigAlg.RS256, requestId, body));
        c.put("ps256_headers", head(SigAlg.PS256, requestId, body));
        return c;
    }

    /** The head of the endpoint's answer, as Netty's encoder writes it to the socket. */
    String head(SigAlg alg, String requestId, byte[] body) throws Exception {
        ResultSigner signer = new ResultSigner(nodeKey, alg, CryptoProvider.JDK);
        EnvelopeMeta meta = new EnvelopeMeta(
                MODEL, FakeEngine.SHA256, "cd".repeat(32), new StageTimings(0, 0, 0, 0, 0, 0, 0, 0), null, null);
        SignedAnswer answer = new SignedAnswer(
                requestId, body, EmbeddingJson.RESULT_FORMAT, signer.sign(requestId, body), meta, false);
        FullHttpResponse r = OpenAiServing.endpoint(OpenAiServing.engine()).answer(ByteBufAllocator.DEFAULT, answer);
        EmbeddedChannel ch = new EmbeddedChannel(new HttpResponseEncoder());
        ch.writeOutbound(r);
        StringBuilder raw = new StringBuilder();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            raw.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        ch.finishAndReleaseAll();
        String text = raw.toString();
        return text.substring(0, text.indexOf("\r\n\r\n") + 4);
    }

    /** 64 hex digits that are no key's node id here: SHA-256 of a fixed text. */
    private static String otherNodeId() throws Exception {
        return java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest("pxnode test vectors: another node".getBytes(StandardCharsets.US_ASCII)));
    }

    /** What Float.toString has to get right: signed zero, subnormals, the extremes, both notations. */
    static float[] edges() {
        return new float[] {
            1f,
            -0f,
            0.1f,
            1e-7f,
            Float.MAX_VALUE,
            Float.MIN_VALUE,
            Float.MIN_NORMAL,
            -123456.79f,
            9999999f,
            1e7f,
            0.001f,
            9.999999e-4f,
            (float) (1 / 3.0),
            -2.5e-40f
        };
    }

    /** A seeded unit vector, as a normalising model makes them. */
    static float[] unit(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
            sum += (double) v[i] * v[i];
        }
        for (int i = 0; i < n; i++) {
            v[i] = (float) (v[i] / Math.sqrt(sum));
        }
        return v;
    }
}
