package io.parallelix.node.crypto;

import static io.parallelix.node.crypto.KeyFilesTest.assertReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.crypto.KeyException.Reason;
import io.parallelix.node.testing.Subprocess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key files made by the openssl command line, and ours read by it. Fails (never skips) without openssl. */
class KeyFilesOpensslTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void requireOpenssl() {
        RequiredTools.openssl(Path.of(System.getProperty("java.io.tmpdir")));
    }

    @Test
    void readPrivateKey_opensslGenpkeyPkcs8_loadsWithOpensslsNodeId() throws Exception {
        Path file = openssl("genpkey.pem", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048");
        assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----");
        NodeKey key = KeyFiles.readPrivateKey(file, null);
        assertThat(key.bits()).isEqualTo(2048);
        assertThat(key.nodeId().bytes()).isEqualTo(opensslNodeId(file));
    }

    @Test
    void readPrivateKey_opensslGenrsaTraditional_loadsWithOpensslsNodeId() throws Exception {
        Path file = openssl("genrsa.pem", "genrsa", "-traditional", "2048");
        assertThat(Files.readString(file)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        NodeKey key = KeyFiles.readPrivateKey(file, null);
        assertThat(key.nodeId().bytes()).isEqualTo(opensslNodeId(file));
    }

    @Test
    void readPrivateKey_opensslEncryptedTraditional_isUnsupportedWithTheConversionCommand() throws Exception {
        Path file = openssl("enc-trad.pem", "genrsa", "-traditional", "-aes256", "-passout", "pass:secret", "2048");
        assertThat(Files.readString(file)).contains("Proc-Type: 4,ENCRYPTED");
        assertThatThrownBy(() -> KeyFiles.readPrivateKey(file, "secret".toCharArray()))
                .isInstanceOfSatisfying(
                        KeyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED))
                .hasMessageContaining("openssl pkcs8 -topk8");
    }

    @Test
    void readPrivateKey_opensslEncryptedPkcs8_decryptsWithThePassphraseOnly() throws Exception {
        Path plain = openssl("plain.pem", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048");
        Path file = dir.resolve("enc.pem");
        Subprocess.of(
                        dir,
                        "openssl",
                        "pkcs8",
                        "-topk8",
                        "-v2",
                        "aes-256-cbc",
                        "-v2prf",
                        "hmacWithSHA256",
                        "-in",
                        plain.toString(),
                        "-out",
                        file.toString(),
                        "-passout",
                        "pass:s3cret \u00e9")
                .run()
                .requireSuccess();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(KeyFiles.readPrivateKey(file, "s3cret \u00e9".toCharArray())
                        .nodeId()
                        .bytes())
                .isEqualTo(opensslNodeId(plain));
        assertReason(() -> KeyFiles.readPrivateKey(file, "s3cret".toCharArray()), Reason.WRONG_PASSPHRASE);
        assertReason(() -> KeyFiles.readPrivateKey(file, null), Reason.PASSPHRASE_REQUIRED);
    }

    @Test
    void readPrivateKey_1024BitOpensslKey_isTooSmall() throws Exception {
        Path file = openssl("small.pem", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024");
        assertReason(() -> KeyFiles.readPrivateKey(file, null), Reason.TOO_SMALL);
    }

    @Test
    void readPrivateKey_rsaPssOrEcKey_isUnsupported() throws Exception {
        Path pss = openssl("pss.pem", "genpkey", "-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048");
        assertThatThrownBy(() -> KeyFiles.readPrivateKey(pss, null))
                .isInstanceOfSatisfying(
                        KeyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED))
                .hasMessageContaining("RSASSA-PSS");
        Path ec = openssl("ec.pem", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
        assertReason(() -> KeyFiles.readPrivateKey(ec, null), Reason.UNSUPPORTED);
    }

    @Test
    void writePrivateKey_encrypted_isPbes2Pbkdf2Sha256Aes256With600kIterationsReadableByOpenssl() throws Exception {
        NodeKey key = TestKeys.rsa2048();
        Path file = dir.resolve("node.key");
        KeyFiles.writePrivateKey(file, key, "pass phrase".toCharArray()); // the public API: 600,000 iterations
        String asn1 = Subprocess.of(dir, "openssl", "asn1parse", "-in", file.toString())
                .run()
                .requireSuccess()
                .stdout();
        assertThat(asn1)
                .contains(":PBES2")
                .contains(":PBKDF2")
                .contains(":hmacWithSHA256")
                .contains(":aes-256-cbc")
                .containsPattern("INTEGER +:0927C0"); // 600000 iterations
        Subprocess.Result pub = Subprocess.of(
                        dir, "openssl", "pkey", "-in", file.toString(), "-passin", "pass:pass phrase", "-pubout")
                .run()
                .requireSuccess();
        assertThat(pub.stdout()).isEqualTo(KeyFiles.publicKeyPem(key.publicKey()));
        Subprocess.Result wrong = Subprocess.of(
                        dir, "openssl", "pkey", "-in", file.toString(), "-passin", "pass:wrong", "-noout")
                .run();
        assertThat(wrong.exit()).isNotZero();
        assertThat(KeyFiles.readPrivateKey(file, "pass phrase".toCharArray()).nodeId())
                .isEqualTo(key.nodeId());
    }

    @Test
    void writePrivateKey_plain_passesOpensslRsaCheck() throws Exception {
        Path file = dir.resolve("node.key");
        KeyFiles.writePrivateKey(file, TestKeys.rsa2048(), null);
        assertThat(Subprocess.of(dir, "openssl", "rsa", "-in", file.toString(), "-check", "-noout")
                        .run()
                        .requireSuccess()
                        .stdout())
                .contains("RSA key ok");
    }

    @Test
    void writePublicKey_spkiDigestByOpensslIsTheNodeId() throws Exception {
        NodeKey key = TestKeys.rsa3072();
        Path pub = dir.resolve("node.pub");
        KeyFiles.writePublicKey(pub, key.publicKey());
        Subprocess.Result der = Subprocess.of(
                        dir, "openssl", "pkey", "-pubin", "-in", pub.toString(), "-outform", "DER", "-out", "spki.der")
                .run()
                .requireSuccess();
        assertThat(der.exit()).isZero();
        String dgst = Subprocess.of(dir, "openssl", "dgst", "-sha256", "-r", "spki.der")
                .run()
                .requireSuccess()
                .stdout();
        assertThat(dgst).startsWith(key.nodeId().hex() + " ");
    }

    private Path openssl(String name, String... args) throws Exception {
        Path file = dir.resolve(name);
        // openssl SUBCOMMAND -out FILE ARGS... (genrsa wants its bit count last)
        String[] cmd = new String[args.length + 3];
        cmd[0] = "openssl";
        cmd[1] = args[0];
        cmd[2] = "-out";
        cmd[3] = file.toString();
        System.arraycopy(args, 1, cmd, 4, args.length - 1);
        Subprocess.of(dir, cmd).run().requireSuccess();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    /** SHA-256 of the SubjectPublicKeyInfo as openssl writes it. */
    private byte[] opensslNodeId(Path privateKey) throws Exception {
        Path der = dir.resolve("pub-" + privateKey.getFileName() + ".der");
        Subprocess.of(
                        dir,
                        "openssl",
                        "pkey",
                        "-in",
                        privateKey.toString(),
                        "-pubout",
                        "-outform",
                        "DER",
                        "-out",
                        der.toString())
                .run()
                .requireSuccess();
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(der));
    }
}
