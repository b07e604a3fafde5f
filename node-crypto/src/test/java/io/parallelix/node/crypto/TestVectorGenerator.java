package io.parallelix.node.crypto;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Writes docs/test-vectors/poe-v1.json and poe-v2.json (the same cases under each layout): run by
 * scripts/gen-test-vectors.sh. Every value is made by
 * node-crypto itself; TestVectorsTest checks that the code still reproduces them and
 * scripts/verify_envelope.py --vectors and openssl check them independently.
 *
 * <p>Usage: {@code TestVectorGenerator KEY.pem OUT.json [POE_VERSION]} (1 by default). KEY.pem is the TEST-ONLY key; the script
 * takes it from the existing OUT.json so that regenerating keeps the key (and every RS256 byte).
 */
public final class TestVectorGenerator {
    static final String KEY_NAME = "test-only-key-rsa3072";
    static final String WARNING = "TEST ONLY \u2014 never use this key for anything else: its private half is"
            + " published right here, so a signature under it proves nothing about anyone.";

    private static final HexFormat HEX = HexFormat.of();

    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final NodeKey key;
    private final String privatePem;
    private final ResultSigner rs256;
    private final ResultSigner ps256;
    private final PoeVersion version;

    TestVectorGenerator(String privatePem) throws KeyException {
        this(privatePem, PoeVersion.V1);
    }

    TestVectorGenerator(String privatePem, PoeVersion version) throws KeyException {
        this.privatePem = privatePem;
        this.version = version;
        this.key = KeyFiles.parsePrivateKey(privatePem.getBytes(StandardCharsets.US_ASCII), null);
        this.rs256 = new ResultSigner(key, SigAlg.RS256, CryptoProvider.JDK);
        this.ps256 = new ResultSigner(key, SigAlg.PS256, CryptoProvider.JDK);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 && args.length != 3) {
            System.err.println("usage: TestVectorGenerator KEY.pem OUT.json [POE_VERSION]");
            System.exit(2);
        }
        String pem = Files.readString(Path.of(args[0]), StandardCharsets.US_ASCII);
        PoeVersion version = args.length == 3
                ? PoeVersion.parse(args[2]).orElseThrow(() -> new IllegalArgumentException("POE_VERSION: 1 or 2"))
                : PoeVersion.V1;
        ObjectNode doc = new TestVectorGenerator(pem, version).build();
        Files.writeString(
                Path.of(args[1]),
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc) + "\n",
                StandardCharsets.UTF_8);
        System.out.println("wrote " + args[1]);
    }

    ObjectNode build() throws IOException {
        ObjectNode doc = json.createObjectNode();
        boolean v2 = version == PoeVersion.V2;
        doc.put("title", "pxnode Proof-of-Execution v" + version.number() + " test vectors");
        doc.put("warning", WARNING);
        doc.put("spec", "docs/protocol.md");
        doc.put(
                "generator",
                "scripts/gen-test-vectors.sh (node-crypto/src/test/java/io/parallelix/node/crypto/TestVectorGenerator.java)");
        doc.put("poe_version", version.number());
        ObjectNode defs = doc.putObject("definitions");
        defs.put("node_id", "SHA-256(DER SubjectPublicKeyInfo of the RSA public key), lowercase hex");
        defs.put(
                "poe",
                v2
                        ? "SHA-256(\"pxnode-poe-v2\\0\" (14 ASCII bytes, the last NUL) || u16be(byte length of"
                                + " UTF-8(request_id)) || UTF-8(request_id) || u64be(byte length of result) || result"
                                + " || node_id as 32 raw bytes), lowercase hex"
                        : "SHA-256(UTF-8(request_id) || result || node_id as 32 raw bytes), lowercase hex");
        defs.put("signed_message", "result || poe as 32 raw bytes");
        defs.put("rs256_sig_b64", "RSASSA-PKCS1-v1_5 with SHA-256, base64; deterministic: must match byte for byte");
        defs.put(
                "ps256_sig_b64",
                "RSASSA-PSS, SHA-256, MGF1-SHA-256, salt length 32, trailer 1, base64; randomized: verify only");
        defs.put("result_generator", "results too large to store are described by a formula, length and SHA-256");
        defs.put(
                "negative_cases",
                "must be rejected; expect_failed_check is the first failing check in the order"
                        + " request_id, sig_alg, node_id, poe, signature");

        ObjectNode k = doc.putObject("key");
        k.put("name", KEY_NAME);
        k.put("warning", WARNING);
        k.put("bits", key.bits());
        k.put("node_id", key.nodeId().hex());
        k.put("public_key_pem", KeyFiles.publicKeyPem(key.publicKey()));
        k.put("private_key_pem", privatePem);

        ArrayNode cases = doc.putArray("cases");
        cases.add(positive("empty-result", "req_0001", new byte[0], "the result may be empty"));
        cases.add(positive(
                "spec-example",
                "req_a3f1",
                ascii("{\"label\":\"cat\",\"score\":0.97}"),
                "request id from the protocol section 5.1 example"));
        cases.add(
                positive(
                        "boundary-a",
                        "req_a",
                        ascii("1234"),
                        v2
                                ? "a poe other than boundary-b's: v2 frames request_id and result (docs/protocol.md)"
                                : "same poe as boundary-b: v1 has no boundary between request_id and result (docs/protocol.md)"));
        cases.add(positive(
                "boundary-b",
                "req_a1",
                ascii("234"),
                v2
                        ? "a poe other than boundary-a's: the length prefixes fix the split"
                        : "same poe as boundary-a, different signatures: the signature covers the result bytes"));
        cases.add(positive("all-byte-values", "req:bytes.0-255", allBytes(), "result bytes 0x00..0xff"));
        cases.add(positive(
                "max-length-request-id",
                maxLengthId(),
                ascii("x"),
                "a 128-character request id using every allowed kind of character"));
        cases.add(positive("safetensors-result", "req_tensor-0001", safetensors(), "a small safetensors result"));
        cases.add(mibCase());

        doc.set("negative_cases", negatives());
        return doc;
    }

    private ObjectNode positive(String name, String requestId, byte[] result, String comment) {
        ObjectNode c = head(name, requestId, comment);
        c.put("result_b64", b64(result));
        return sign(c, requestId, result);
    }

    private ObjectNode mibCase() throws IOException {
        byte[] result = TestVectors.mib();
        ObjectNode c = head("one-mib-result", "req_1mib", "1 MiB result, stored as a formula");
        ObjectNode g = c.putObject("result_generator");
        g.put("formula", TestVectors.MIB_FORMULA);
        g.put("length", result.length);
        g.put("sha256", sha256Hex(result));
        return sign(c, "req_1mib", result);
    }

    private ObjectNode head(String name, String requestId, String comment) {
        ObjectNode c = json.createObjectNode();
        c.put("name", name);
        c.put("comment", comment);
        c.put("request_id", requestId);
        return c;
    }

    private ObjectNode sign(ObjectNode c, String requestId, byte[] result) {
        SignedResult rs = rs256.sign(requestId, result, version);
        SignedResult ps = ps256.sign(requestId, result, version);
        c.put("node_id", rs.nodeId().hex());
        c.put("poe", rs.poeHex());
        c.put("rs256_sig_b64", b64(rs.sig()));
        c.put("ps256_sig_b64", b64(ps.sig()));
        return c;
    }

    private ArrayNode negatives() throws IOException {
        boolean v2 = version == PoeVersion.V2;
        ArrayNode out = json.createArrayNode();
        String id = "req_a3f1";
        byte[] result = ascii("{\"label\":\"cat\",\"score\":0.97}");
        SignedResult rs = rs256.sign(id, result, version);
        SignedResult ps = ps256.sign(id, result, version);
        String nodeId = key.nodeId().hex();

        out.add(negative("flipped-result-bit", id, flip(result), nodeId, rs.poe(), "RS256", rs.sig(), "poe"));
        out.add(negative("flipped-poe-bit", id, result, nodeId, flip(rs.poe()), "RS256", rs.sig(), "poe"));
        out.add(negative("flipped-sig-bit", id, result, nodeId, rs.poe(), "RS256", flip(rs.sig()), "signature"));
        out.add(negative(
                "flipped-node-id-bit",
                id,
                result,
                HEX.formatHex(flip(key.nodeId().bytes())),
                rs.poe(),
                "RS256",
                rs.sig(),
                "node_id"));
        out.add(negative("changed-request-id", "req_a3f0", result, nodeId, rs.poe(), "RS256", rs.sig(), "poe"));
        out.add(negative("invalid-request-id", "req a3f1", result, nodeId, rs.poe(), "RS256", rs.sig(), "request_id"));
        out.add(negative("unknown-sig-alg", id, result, nodeId, rs.poe(), "RS512", rs.sig(), "sig_alg"));
        out.add(negative("ps256-presented-as-rs256", id, result, nodeId, ps.poe(), "RS256", ps.sig(), "signature"));
        out.add(negative("rs256-presented-as-ps256", id, result, nodeId, rs.poe(), "PS256", rs.sig(), "signature"));
        out.add(negative(
                "ps256-with-salt-20", id, result, nodeId, rs.poe(), "PS256", pssSalt20(result, rs.poe()), "signature"));
        try {
            NodeId other = SelfTestKey.load().nodeId();
            byte[] otherPoe = ProofOfExecution.of(version, id, result, other);
            out.add(negative("poe-from-another-node", id, result, nodeId, otherPoe, "RS256", rs.sig(), "poe"));
        } catch (KeyException e) {
            throw new IOException(e);
        }
        // The re-split: under v1 poe still matches ("req_a" + "1234" = "req_a1" + "234"), the
        // signature does not; under v2 the poe itself no longer matches.
        SignedResult a = rs256.sign("req_a", ascii("1234"), version);
        out.add(negative(
                "boundary-resplit",
                "req_a1",
                ascii("234"),
                nodeId,
                a.poe(),
                "RS256",
                a.sig(),
                v2 ? "poe" : "signature"));
        if (v2) {
            // A valid v1 answer relabelled v2: the layouts never share a digest.
            SignedResult v1 = rs256.sign(id, result, PoeVersion.V1);
            out.add(negative("v1-poe-claimed-as-v2", id, result, nodeId, v1.poe(), "RS256", v1.sig(), "poe"));
        }
        return out;
    }

    /** A well-formed PSS signature with the SHA-1-era default salt length: PS256 means salt 32. */
    private byte[] pssSalt20(byte[] result, byte[] poe) throws IOException {
        try {
            Signature s = Signature.getInstance("RSASSA-PSS");
            s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 20, 1));
            s.initSign(key.privateKey());
            s.update(result);
            s.update(poe);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private ObjectNode negative(
            String name, String id, byte[] result, String nodeId, byte[] poe, String alg, byte[] sig, String check) {
        ObjectNode c = json.createObjectNode();
        c.put("name", name);
        c.put("request_id", id);
        c.put("result_b64", b64(result));
        c.put("node_id", nodeId);
        c.put("poe", HEX.formatHex(poe));
        c.put("sig_alg", alg);
        c.put("sig_b64", b64(sig));
        c.put("expect_failed_check", check);
        return c;
    }

    static byte[] safetensors() {
        return new Safetensors()
                .meta("model", "pxnode-test")
                .add("logits", "F32", new long[] {2, 3}, Safetensors.f32(0.5f, -1.25f, 3.0f, 0f, 1e-3f, -7.5f))
                .add("ids", "I64", new long[] {2}, Safetensors.i64(7, -42))
                .bytes();
    }

    static String maxLengthId() {
        String unit = "Az09._:-";
        return unit.repeat(RequestIds.MAX_LENGTH / unit.length());
    }

    private static byte[] allBytes() {
        byte[] b = new byte[256];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    private static byte[] flip(byte[] b) {
        byte[] c = Arrays.copyOf(b, b.length);
        c[c.length / 2] ^= 0x01;
        return c;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static String sha256Hex(byte[] b) throws IOException {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
    }
}
