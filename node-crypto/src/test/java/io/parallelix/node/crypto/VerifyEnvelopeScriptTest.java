package io.parallelix.node.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parallelix.node.testing.RepoRoot;
import io.parallelix.node.testing.Subprocess;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/verify_envelope.py, the independent reference verifier (Python + pyca/cryptography +
 * hashlib + numpy), run on the vectors and on envelopes that this node's code signs. Fails, never
 * skips, when python3 or its packages are missing.
 */
class VerifyEnvelopeScriptTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final NodeKey key = TestKeys.rsa3072();

    @BeforeAll
    static void requirePython() {
        RequiredTools.python(Path.of(System.getProperty("java.io.tmpdir")));
    }

    @BeforeEach
    void writePublicKey() throws Exception {
        Files.writeString(dir.resolve("pub.pem"), KeyFiles.publicKeyPem(key.publicKey()));
    }

    @Test
    void vectors_allPassInPython() {
        Subprocess.Result r = python("--vectors", RepoFiles.vectors().toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines).hasSizeGreaterThan(15);
        assertThat(lines.subList(0, lines.size() - 1))
                .allSatisfy(l -> assertThat(l).startsWith("ok   "));
        assertThat(lines.get(lines.size() - 1)).matches("(\\d+) checks: \\1 passed, 0 failed");
        assertThat(r.stdout()).contains("one-mib-result", "boundary-resplit", "RS256 (byte-exact re-sign)");
    }

    @Test
    void vectors_tamperedRs256Byte_failsInPython() throws Exception {
        ObjectNode doc = (ObjectNode) JSON.readTree(RepoFiles.vectors().toFile());
        ObjectNode first = (ObjectNode) doc.get("cases").get(0);
        byte[] sig = Base64.getDecoder().decode(first.get("rs256_sig_b64").asText());
        sig[10] ^= 0x01;
        first.put("rs256_sig_b64", Base64.getEncoder().encodeToString(sig));
        Path tampered = dir.resolve("tampered.json");
        JSON.writeValue(tampered.toFile(), doc);
        Subprocess.Result r = python("--vectors", tampered.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stdout()).contains("FAIL empty-result: signature:").contains("1 failed");
    }

    @Test
    void envelope_signedByTheNode_isValidUnderBothSchemesAndProviders() throws Exception {
        for (CryptoProvider provider : CryptoProvider.values()) {
            for (SigAlg alg : SigAlg.values()) {
                Path file = writeEnvelope(envelope(alg, provider, TestVectorGenerator.safetensors()));
                Subprocess.Result r = python(file.toString(), "--public-key", "pub.pem");
                assertThat(r.stdout().strip()).as("%s %s: %s", provider, alg, r).isEqualTo("valid");
                assertThat(r.exit()).isZero();
            }
        }
    }

    @Test
    void envelope_eachTamperedField_isInvalidNamingTheCheck() throws Exception {
        expectInvalid(e -> e.put("result", b64(flip(unb64(e.get("result").asText())))), "poe");
        expectInvalid(
                e -> e.put(
                        "poe",
                        HexFormat.of()
                                .formatHex(flip(
                                        HexFormat.of().parseHex(e.get("poe").asText())))),
                "poe");
        expectInvalid(e -> e.put("sig", b64(flip(unb64(e.get("sig").asText())))), "signature");
        expectInvalid(e -> e.put("node_id", TestKeys.rsa2048().nodeId().hex()), "node_id");
        expectInvalid(e -> e.put("request_id", "req_other"), "poe");
        expectInvalid(e -> e.put("request_id", "req other"), "request_id");
        expectInvalid(e -> e.put("sig_alg", "RS256"), "signature"); // a PS256 signature presented as RS256
        expectInvalid(e -> e.put("sig_alg", "ES256"), "sig_alg");
        expectInvalid(e -> e.put("poe_version", 3), "envelope");
        expectInvalid(e -> e.put("poe_version", 2), "poe"); // a v1 commitment relabelled v2
        expectInvalid(e -> e.remove("sig"), "envelope");
        expectInvalid(e -> e.put("sig", "not base64!"), "signature");
    }

    @Test
    void envelope_identityDocumentAndStdin_areAccepted() throws Exception {
        ObjectNode identity = JSON.createObjectNode()
                .put("node_id", key.nodeId().hex())
                .put("public_key", KeyFiles.publicKeyPem(key.publicKey()));
        Files.writeString(dir.resolve("identity.json"), identity.toString());
        ObjectNode envelope = envelope(SigAlg.PS256, CryptoProvider.JDK, new byte[] {1, 2, 3});
        Path file = writeEnvelope(envelope);
        assertThat(python(file.toString(), "--public-key", "identity.json")
                        .stdout()
                        .strip())
                .isEqualTo("valid");
        Subprocess.Result stdin = Subprocess.of(
                        dir, "python3", RepoFiles.verifyEnvelopeScript().toString(), "-", "--public-key", "pub.pem")
                .withStdin(envelope.toString().getBytes(StandardCharsets.UTF_8))
                .run();
        assertThat(stdin.stdout().strip()).as(stdin.toString()).isEqualTo("valid");
    }

    @Test
    void envelope_anotherNodesPublicKey_isInvalidAtNodeId() throws Exception {
        Files.writeString(
                dir.resolve("other.pem"),
                KeyFiles.publicKeyPem(TestKeys.rsa2048().publicKey()));
        Path file = writeEnvelope(envelope(SigAlg.RS256, CryptoProvider.JDK, new byte[] {1}));
        Subprocess.Result r = python(file.toString(), "--public-key", "other.pem");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stdout()).startsWith("invalid: node_id: ");
    }

    @Test
    void usageErrors_exit2() throws Exception {
        Path file = writeEnvelope(envelope(SigAlg.RS256, CryptoProvider.JDK, new byte[] {1}));
        assertThat(python(file.toString()).exit()).isEqualTo(2);
        assertThat(python(file.toString(), "--public-key", "missing.pem").exit())
                .isEqualTo(2);
        Files.writeString(dir.resolve("junk.pem"), "junk");
        Subprocess.Result junk = python(file.toString(), "--public-key", "junk.pem");
        assertThat(junk.exit()).isEqualTo(2);
        assertThat(junk.stderr()).contains("not a PEM public key");
        assertThat(python().exit()).isEqualTo(2);
    }

    @Test
    void printTensors_decodesEveryDtypeExactly() throws Exception {
        byte[] result = new Safetensors()
                .meta("model", "pxnode-test")
                .add("f32", "F32", new long[] {2, 2}, Safetensors.f32(0.5f, -1.25f, 3.0f, 1e-3f))
                .add(
                        "f64",
                        "F64",
                        new long[] {2},
                        le(16, b -> b.putDouble(Math.PI).putDouble(-2.5)))
                .add("f16", "F16", new long[] {3}, Safetensors.f16(1.5f, -0.25f, 65504f))
                .add("bf16", "BF16", new long[] {2}, Safetensors.bf16(1.0f, -2.5f))
                .add("i64", "I64", new long[] {2}, Safetensors.i64(9_007_199_254_740_993L, -42))
                .add("i32", "I32", new long[] {2}, le(8, b -> b.putInt(-7).putInt(Integer.MAX_VALUE)))
                .add(
                        "i16",
                        "I16",
                        new long[] {2},
                        le(4, b -> b.putShort((short) -300).putShort((short) 300)))
                .add("i8", "I8", new long[] {2}, new byte[] {-128, 127})
                .add("u8", "U8", new long[] {3}, new byte[] {0, (byte) 200, (byte) 255})
                .add("bool", "BOOL", new long[] {3}, new byte[] {1, 0, 1})
                .add("scalar", "F32", new long[] {}, Safetensors.f32(2.0f))
                .bytes();
        Path file = writeEnvelope(envelope(SigAlg.PS256, CryptoProvider.JDK, result));
        Subprocess.Result r = python(file.toString(), "--public-key", "pub.pem", "--print-tensors");
        assertThat(r.exit()).as(r.toString()).isZero();
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo("valid");
        JsonNode out = JSON.readTree(lines.get(1));
        assertThat(out.at("/metadata/model").asText()).isEqualTo("pxnode-test");
        JsonNode t = out.get("tensors");
        assertThat(doubles(t.get("f32"))).containsExactly(0.5, -1.25, 3.0, (double) 1e-3f);
        assertThat(t.at("/f32/shape").toString()).isEqualTo("[2,2]");
        assertThat(t.at("/f32/dtype").asText()).isEqualTo("F32");
        assertThat(doubles(t.get("f64"))).containsExactly(Math.PI, -2.5);
        assertThat(doubles(t.get("f16"))).containsExactly(1.5, -0.25, 65504.0);
        assertThat(doubles(t.get("bf16"))).containsExactly(1.0, -2.5);
        assertThat(t.at("/i64/data/0").asLong()).isEqualTo(9_007_199_254_740_993L);
        assertThat(t.at("/i64/data").toString()).isEqualTo("[9007199254740993,-42]");
        assertThat(t.at("/i32/data").toString()).isEqualTo("[-7,2147483647]");
        assertThat(t.at("/i16/data").toString()).isEqualTo("[-300,300]");
        assertThat(t.at("/i8/data").toString()).isEqualTo("[-128,127]");
        assertThat(t.at("/u8/data").toString()).isEqualTo("[0,200,255]");
        assertThat(t.at("/bool/data").toString()).isEqualTo("[true,false,true]");
        assertThat(t.at("/scalar/shape").toString()).isEqualTo("[]");
        assertThat(doubles(t.get("scalar"))).containsExactly(2.0);
    }

    @Test
    void printTensors_invalidEnvelope_printsNoTensors() throws Exception {
        ObjectNode e = envelope(SigAlg.PS256, CryptoProvider.JDK, TestVectorGenerator.safetensors());
        e.put("sig_alg", "RS256");
        Subprocess.Result r = python(writeEnvelope(e).toString(), "--public-key", "pub.pem", "--print-tensors");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stdout().lines().toList())
                .containsExactly("invalid: signature: " + "signature does not verify as RS256 under this key");
    }

    @Test
    void selfTestKnownAnswers_comeFromPyca() throws Exception {
        Files.writeString(dir.resolve("selftest.pem"), SelfTestKey.TEST_ONLY_PRIVATE_KEY_PEM);
        Subprocess.Result r = Subprocess.of(
                        dir,
                        "python3",
                        RepoRoot.resolve("scripts/gen_self_test_kat.py").toString(),
                        "selftest.pem")
                .run()
                .requireSuccess();
        assertThat(r.stdout())
                .contains("SHA256_ABC = \"" + CryptoSelfTest.SHA256_ABC + "\"")
                .contains("NODE_ID = \"" + CryptoSelfTest.NODE_ID + "\"")
                .contains("POE = \"" + CryptoSelfTest.POE + "\"")
                .contains("RS256_SIG = \"" + CryptoSelfTest.RS256_SIG + "\"");
    }

    private void expectInvalid(Consumer<ObjectNode> tamper, String check) throws Exception {
        ObjectNode e = envelope(SigAlg.PS256, CryptoProvider.JDK, TestVectorGenerator.safetensors());
        tamper.accept(e);
        Subprocess.Result r = python(writeEnvelope(e).toString(), "--public-key", "pub.pem");
        assertThat(r.stdout()).as(r.toString()).startsWith("invalid: " + check + ": ");
        assertThat(r.exit()).isEqualTo(1);
    }

    private ObjectNode envelope(SigAlg alg, CryptoProvider provider, byte[] result) throws KeyException {
        SignedResult s = new ResultSigner(key, alg, provider).sign("req_env-1", result);
        ObjectNode e = JSON.createObjectNode();
        e.put("request_id", s.requestId());
        e.put("node_id", s.nodeId().hex());
        e.put("result", b64(result));
        e.put("result_format", "safetensors");
        e.put("poe", s.poeHex());
        e.put("sig", b64(s.sig()));
        e.put("sig_alg", s.sigAlg().wireName());
        e.put("poe_version", ProofOfExecution.VERSION);
        e.putObject("meta").put("model", "pxnode-test");
        return e;
    }

    private Path writeEnvelope(ObjectNode envelope) throws Exception {
        Path file = Files.createTempFile(dir, "envelope", ".json");
        Files.writeString(file, envelope.toString());
        return file;
    }

    private Subprocess.Result python(String... args) {
        String[] cmd = new String[args.length + 2];
        cmd[0] = "python3";
        cmd[1] = RepoFiles.verifyEnvelopeScript().toString();
        System.arraycopy(args, 0, cmd, 2, args.length);
        return Subprocess.of(dir, cmd).run();
    }

    private static double[] doubles(JsonNode tensor) {
        JsonNode data = tensor.get("data");
        double[] out = new double[data.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = data.get(i).asDouble();
        }
        return out;
    }

    private static byte[] le(int size, Consumer<ByteBuffer> fill) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        fill.accept(b);
        return b.array();
    }

    private static byte[] flip(byte[] b) {
        byte[] c = b.clone();
        c[c.length / 2] ^= 0x01;
        return c;
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static byte[] unb64(String s) {
        return Base64.getDecoder().decode(s);
    }
}
