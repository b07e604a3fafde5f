package io.parallelix.node.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelix.node.crypto.TestVectors.Case;
import io.parallelix.node.testing.Subprocess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vectors checked by the openssl command line alone: node_id, PoE and both signature schemes.
 * No Java crypto takes part in the checks (Java only writes the files). Fails without openssl.
 */
class OpensslVectorsTest {
    private static final String[] PSS = {
        "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32", "-sigopt", "rsa_mgf1_md:sha256"
    };

    @TempDir
    Path dir;

    private final TestVectors vectors = TestVectors.load();

    @BeforeAll
    static void requireOpenssl() {
        RequiredTools.openssl(Path.of(System.getProperty("java.io.tmpdir")));
    }

    @BeforeEach
    void writePublicKey() throws Exception {
        Files.writeString(
                dir.resolve("pub.pem"), vectors.root().at("/key/public_key_pem").asText());
    }

    @Test
    void nodeId_isOpensslSha256OfTheSpki() {
        Subprocess.of(dir, "openssl", "pkey", "-pubin", "-in", "pub.pem", "-outform", "DER", "-out", "spki.der")
                .run()
                .requireSuccess();
        assertThat(sha256("spki.der"))
                .isEqualTo(vectors.root().at("/key/node_id").asText());
    }

    @Test
    void cases_poeIsOpensslSha256AndBothSignaturesVerify() throws Exception {
        for (Case c : vectors.cases()) {
            byte[] committed = ResultSignerTest.concat(
                    c.requestId().getBytes(StandardCharsets.UTF_8),
                    c.result(),
                    HexFormat.of().parseHex(c.nodeId()));
            Files.write(dir.resolve("commitment.bin"), committed);
            assertThat(sha256("commitment.bin"))
                    .as(c.name())
                    .isEqualTo(HexFormat.of().formatHex(c.poe()));

            Files.write(dir.resolve("message.bin"), ResultSignerTest.concat(c.result(), c.poe()));
            Files.write(dir.resolve("rs256.sig"), c.sig("rs256_sig_b64"));
            Files.write(dir.resolve("ps256.sig"), c.sig("ps256_sig_b64"));
            assertThat(opensslVerify("rs256.sig")).as(c.name() + " RS256").isTrue();
            assertThat(opensslVerify("ps256.sig", PSS)).as(c.name() + " PS256").isTrue();
            // Negative controls: each signature fails under the other scheme.
            assertThat(opensslVerify("ps256.sig"))
                    .as(c.name() + " PS256 as RS256")
                    .isFalse();
            assertThat(opensslVerify("rs256.sig", PSS))
                    .as(c.name() + " RS256 as PS256")
                    .isFalse();
        }
    }

    @Test
    void cases_pssSignatureFailsUnderSalt20() throws Exception {
        Case c = vectors.cases().get(1);
        Files.write(dir.resolve("message.bin"), ResultSignerTest.concat(c.result(), c.poe()));
        Files.write(dir.resolve("ps256.sig"), c.sig("ps256_sig_b64"));
        assertThat(opensslVerify(
                        "ps256.sig",
                        "-sigopt",
                        "rsa_padding_mode:pss",
                        "-sigopt",
                        "rsa_pss_saltlen:20",
                        "-sigopt",
                        "rsa_mgf1_md:sha256"))
                .isFalse();
    }

    @Test
    void cases_rs256IsWhatOpensslSigns() throws Exception {
        Files.writeString(
                dir.resolve("key.pem"),
                vectors.root().at("/key/private_key_pem").asText());
        for (Case c : vectors.cases()) {
            Files.write(dir.resolve("message.bin"), ResultSignerTest.concat(c.result(), c.poe()));
            Subprocess.of(dir, "openssl", "dgst", "-sha256", "-sign", "key.pem", "-out", "openssl.sig", "message.bin")
                    .run()
                    .requireSuccess();
            assertThat(Files.readAllBytes(dir.resolve("openssl.sig")))
                    .as(c.name())
                    .isEqualTo(c.sig("rs256_sig_b64"));
        }
    }

    private boolean opensslVerify(String sig, String... options) {
        String[] cmd = new String[8 + options.length];
        String[] head = {"openssl", "dgst", "-sha256", "-verify", "pub.pem", "-signature", sig};
        System.arraycopy(head, 0, cmd, 0, head.length);
        System.arraycopy(options, 0, cmd, head.length, options.length);
        cmd[cmd.length - 1] = "message.bin";
        Subprocess.Result r = Subprocess.of(dir, cmd).run();
        boolean ok = r.exit() == 0 && r.stdout().strip().equals("Verified OK");
        boolean failed = r.exit() == 1 && r.stdout().strip().equals("Verification failure");
        assertThat(ok || failed).as("unexpected openssl result: %s", r).isTrue();
        return ok;
    }

    private String sha256(String file) {
        String out = Subprocess.of(dir, "openssl", "dgst", "-sha256", "-r", file)
                .run()
                .requireSuccess()
                .stdout();
        return out.substring(0, 64);
    }
}
