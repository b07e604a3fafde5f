package io.parallelix.node.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.crypto.KeyException.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyFilesTest {
    /** Fast PBKDF2 for round trips; the 600,000 default is checked in KeyFilesOpensslTest. */
    private static final int FAST = 1000;

    @TempDir
    Path dir;

    private final NodeKey key = TestKeys.rsa2048();

    @Test
    void writePrivateKey_plain_createsMode0600Pkcs8PemThatReadsBack() throws Exception {
        Path file = dir.resolve("node.key");
        KeyFiles.writePrivateKey(file, key, null);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        String pem = Files.readString(file);
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        assertThat(pem.lines().filter(l -> !l.startsWith("-----")).toList())
                .allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(64));
        assertThat(KeyFiles.readPrivateKey(file, null).nodeId()).isEqualTo(key.nodeId());
    }

    @Test
    void writePrivateKey_existingFile_refusesAndLeavesItAlone() throws Exception {
        Path file = dir.resolve("node.key");
        Files.writeString(file, "precious");
        assertReason(() -> KeyFiles.writePrivateKey(file, key, null), Reason.ALREADY_EXISTS);
        assertThat(Files.readString(file)).isEqualTo("precious");
        Path link = dir.resolve("link.key");
        Files.createSymbolicLink(link, dir.resolve("missing-target"));
        assertReason(() -> KeyFiles.writePrivateKey(link, key, null), Reason.ALREADY_EXISTS);
        assertThat(Files.exists(dir.resolve("missing-target"))).isFalse();
    }

    @Test
    void writePrivateKey_missingDirectory_throwsNotFound() {
        assertReason(() -> KeyFiles.writePrivateKey(dir.resolve("no/such/node.key"), key, null), Reason.NOT_FOUND);
    }

    @Test
    void writePrivateKey_emptyPassphrase_isRefused() {
        assertReason(() -> KeyFiles.writePrivateKey(dir.resolve("k"), key, new char[0]), Reason.UNSUPPORTED);
    }

    @Test
    void writePrivateKey_seededRandomPassphrases_roundTrip() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 3; i++) {
            char[] passphrase = new char[1 + random.nextInt(40)];
            for (int j = 0; j < passphrase.length; j++) {
                passphrase[j] = (char) (0x21 + random.nextInt(0x3000)); // ASCII and beyond, no surrogates
            }
            Path file = dir.resolve("enc-" + i + ".key");
            KeyFiles.writePrivateKey(file, key, passphrase.clone(), new SecureRandom(), FAST);
            assertThat(Files.readString(file)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n");
            assertThat(KeyFiles.readPrivateKey(file, passphrase).nodeId())
                    .as("seed %d, passphrase #%d", seed, i)
                    .isEqualTo(key.nodeId());
        }
    }

    @Test
    void readPrivateKey_wrongOrMissingPassphrase_isRefusedWithoutEchoingIt() throws Exception {
        Path file = dir.resolve("enc.key");
        KeyFiles.writePrivateKey(file, key, "correct horse".toCharArray(), new SecureRandom(), FAST);
        for (int i = 0; i < 20; i++) { // now and then CBC padding is right by chance: still WRONG_PASSPHRASE
            String wrong = "wrong battery " + i;
            assertThatThrownBy(() -> KeyFiles.readPrivateKey(file, wrong.toCharArray()))
                    .isInstanceOfSatisfying(
                            KeyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_PASSPHRASE))
                    .hasMessageNotContaining(wrong)
                    .hasMessageNotContaining("correct horse");
        }
        assertReason(() -> KeyFiles.readPrivateKey(file, null), Reason.PASSPHRASE_REQUIRED);
    }

    @Test
    void readPrivateKey_plainKeyGivenAPassphrase_readsIt() throws Exception {
        Path file = dir.resolve("node.key");
        KeyFiles.writePrivateKey(file, key, null);
        assertThat(KeyFiles.readPrivateKey(file, "unused".toCharArray()).nodeId())
                .isEqualTo(key.nodeId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-r--r--", "rw-r-----", "rw----r--", "rw-rw----", "rw-----w-", "rwx---r-x"})
    void readPrivateKey_accessibleByOthers_isRefusedLikeOpenSsh(String mode) throws Exception {
        Path file = dir.resolve("node.key");
        KeyFiles.writePrivateKey(file, key, null);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        String octal = SecureFiles.octal(PosixFilePermissions.fromString(mode));
        assertThatThrownBy(() -> KeyFiles.readPrivateKey(file, null))
                .isInstanceOfSatisfying(
                        KeyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INSECURE_PERMISSIONS))
                .hasMessage("Permissions " + octal + " for '" + file + "' are too open. It is required that your"
                        + " private key files are NOT accessible by others. Fix: chmod 600 " + file);
    }

    @Test
    void readPrivateKey_worldReadable_messageSays0644() throws Exception {
        Path file = dir.resolve("node.key");
        KeyFiles.writePrivateKey(file, key, null);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> KeyFiles.readPrivateKey(file, null)).hasMessageStartingWith("Permissions 0644 for");
    }

    @ParameterizedTest
    @ValueSource(strings = {"r--------", "rw-------", "rwx------"})
    void readPrivateKey_ownerOnlyModes_areAccepted(String mode) throws Exception {
        Path file = dir.resolve("node.key");
        KeyFiles.writePrivateKey(file, key, null);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        assertThat(KeyFiles.readPrivateKey(file, null).nodeId()).isEqualTo(key.nodeId());
    }

    @Test
    void readPrivateKey_missingFile_throwsNotFound() {
        assertReason(() -> KeyFiles.readPrivateKey(dir.resolve("absent.key"), null), Reason.NOT_FOUND);
    }

    @Test
    void readPrivateKey_truncatedPem_throwsMalformedWithoutKeyBytes() throws Exception {
        Path good = dir.resolve("good.key");
        KeyFiles.writePrivateKey(good, key, null);
        String pem = Files.readString(good);
        String body = pem.lines().skip(1).findFirst().orElseThrow();
        for (String broken : new String[] {
            pem.substring(0, pem.length() / 2), // no END line
            pem.replaceFirst("(?s)\n[^\n]*\n[^\n]*\n", "\n"), // lines missing: DER truncated
            pem.replace(body, body.substring(0, 63) + "!"), // not base64
            pem.replace(body, body.substring(1)), // base64 of the wrong length
            "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n",
            ""
        }) {
            Path file = write("broken.key", broken.getBytes(StandardCharsets.US_ASCII));
            assertThatThrownBy(() -> KeyFiles.readPrivateKey(file, null))
                    .isInstanceOfSatisfying(
                            KeyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
                    .hasMessageNotContaining(body.substring(10, 30));
            Files.delete(file);
        }
    }

    @Test
    void readPrivateKey_garbage_throwsMalformed() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        byte[] garbage = new byte[2000];
        random.nextBytes(garbage);
        Path file = write("garbage.key", garbage);
        assertReason(() -> KeyFiles.readPrivateKey(file, null), Reason.MALFORMED);
        Files.delete(file);
        String fakePem = "-----BEGIN PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(garbage) + "\n-----END PRIVATE KEY-----\n";
        Path fake = write("fake.key", fakePem.getBytes(StandardCharsets.US_ASCII));
        assertReason(() -> KeyFiles.readPrivateKey(fake, null), Reason.MALFORMED);
    }

    @Test
    void readPrivateKey_hugeFile_throwsMalformedWithoutReadingIt() throws Exception {
        Path file = write("huge.key", new byte[100_000]);
        assertReason(() -> KeyFiles.readPrivateKey(file, null), Reason.MALFORMED);
    }

    @Test
    void readPrivateKey_textAroundPemAndCrlf_isAccepted() throws Exception {
        Path good = dir.resolve("good.key");
        KeyFiles.writePrivateKey(good, key, null);
        String pem = "Bag Attributes\n    friendlyName: node\n"
                + Files.readString(good).replace("\n", "\r\n") + "trailing text\n";
        Path file = write("crlf.key", pem.getBytes(StandardCharsets.US_ASCII));
        assertThat(KeyFiles.readPrivateKey(file, null).nodeId()).isEqualTo(key.nodeId());
    }

    @Test
    void readPrivateKey_publicKeyFile_throwsUnsupported() throws Exception {
        Path file = write("pub.key", KeyFiles.publicKeyPem(key.publicKey()).getBytes(StandardCharsets.US_ASCII));
        assertReason(() -> KeyFiles.readPrivateKey(file, null), Reason.UNSUPPORTED);
    }

    @Test
    void writePublicKey_createsMode0644SpkiPemThatReadsBack() throws Exception {
        Path file = dir.resolve("node.pub");
        KeyFiles.writePublicKey(file, key.publicKey());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-r--r--");
        assertThat(Files.readString(file)).isEqualTo(KeyFiles.publicKeyPem(key.publicKey()));
        assertThat(KeyFiles.readPublicKey(file)).isEqualTo(key.publicKey());
        assertReason(() -> KeyFiles.writePublicKey(file, key.publicKey()), Reason.ALREADY_EXISTS);
    }

    @Test
    void publicKeyPem_isSpkiInLinesOf64WithTrailingNewline() {
        String pem = KeyFiles.publicKeyPem(key.publicKey());
        assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("\n-----END PUBLIC KEY-----\n");
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replace("\n", "");
        assertThat(java.util.Base64.getDecoder().decode(body))
                .isEqualTo(key.publicKey().getEncoded());
        assertThat(pem.lines().toList()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(64));
    }

    @Test
    void parsePublicKeyPem_rejectsSmallOtherAndGarbage() throws Exception {
        String small = KeyFiles.publicKeyPem(
                (java.security.interfaces.RSAPublicKey) TestKeys.rsa1024().getPublic());
        assertReason(() -> KeyFiles.parsePublicKeyPem(small), Reason.TOO_SMALL);
        java.security.KeyPair ec =
                java.security.KeyPairGenerator.getInstance("EC").generateKeyPair();
        String ecPem = "-----BEGIN PUBLIC KEY-----\n"
                + java.util.Base64.getEncoder().encodeToString(ec.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        assertReason(() -> KeyFiles.parsePublicKeyPem(ecPem), Reason.UNSUPPORTED);
        assertReason(() -> KeyFiles.parsePublicKeyPem("hello"), Reason.MALFORMED);
        assertReason(
                () -> KeyFiles.parsePublicKeyPem(
                        "-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----\n"),
                Reason.UNSUPPORTED);
        assertReason(
                () -> KeyFiles.parsePublicKeyPem("-----BEGIN PUBLIC KEY-----\nMAMCAQA=\n-----END PUBLIC KEY-----\n"),
                Reason.MALFORMED);
    }

    private Path write(String name, byte[] content) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    static void assertReason(ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        KeyException.class,
                        e -> assertThat(e.reason())
                                .as("message: %s", e.getMessage())
                                .isEqualTo(reason));
    }
}
