package io.parallelix.node.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.parallelix.node.daemon.TestNode;
import io.parallelix.node.daemon.Tools;
import io.parallelix.node.gpu.testing.TestModels;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands in-process: output, messages and exit codes (the real executable: PxNodeIT). */
class CliTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    private Run runWithStdin(String stdin, String... args) {
        return runWithEnv(Map.of("HOME", dir.toString()), stdin, args);
    }

    private Run runWithEnv(Map<String, String> env, String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = PxNode.commandLine(
                        env,
                        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                        new PrintWriter(out, true),
                        new PrintWriter(err, true))
                .execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Run run(String... args) {
        return runWithStdin("", args);
    }

    /** Passphrase files must not be readable by others (PassphraseFiles); Files.writeString makes 0644. */
    private static Path ownerOnly(Path file) throws Exception {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    @Test
    void keygen_writesA0600KeyAndRefusesToOverwrite() throws Exception {
        Path key = dir.resolve("k/node-key.pem");
        Run r = run("keygen", "--out", key.toString(), "--bits", "2048");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("node_id:").contains(key.toString());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");
        assertThat(dir.resolve("k/node-key.pub.pem")).exists();

        Run again = run("keygen", "--out", key.toString(), "--bits", "2048");
        assertThat(again.exit()).isEqualTo(ExitCodes.KEY);
        assertThat(again.err())
                .startsWith("pxnode: ")
                .contains("already exists")
                .contains("--force")
                .doesNotContain("\tat ");
        assertThat(run("keygen", "--out", key.toString(), "--bits", "2048", "--force")
                        .exit())
                .isZero();
    }

    @Test
    void keygen_tooSmallOrEncrypted() throws Exception {
        assertThat(run("keygen", "--out", dir.resolve("a.pem").toString(), "--bits", "1024")
                        .exit())
                .isEqualTo(ExitCodes.USAGE);
        Path pass = ownerOnly(Files.writeString(dir.resolve("pass"), "correct horse\n"));
        Path key = dir.resolve("enc.pem");
        assertThat(run("keygen", "--out", key.toString(), "--bits", "2048", "--passphrase-file", pass.toString())
                        .exit())
                .isZero();
        assertThat(Files.readString(key)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
    }

    @Test
    void keygen_withoutOut_writesTheKeyServeAndIdentityLoad() {
        Map<String, String> env = Map.of(
                "HOME", dir.toString(), "PXNODE_DATA_DIR", dir.resolve("data").toString());
        Run gen = runWithEnv(env, "", "keygen", "--bits", "2048");
        assertThat(gen.exit()).as(gen.err()).isZero();
        assertThat(gen.out()).contains("private key: " + dir.resolve("data/node-key.pem"));
        Run id = runWithEnv(env, "", "identity");
        assertThat(id.exit()).as(id.err()).isZero();
        assertThat(id.out()).contains("node_id: " + Tools.nodeIdLine(gen.out()));
    }

    @Test
    void identity_ofAKeyFile_printsNodeIdAndPem() {
        Path key = dir.resolve("node-key.pem");
        Run gen = run("keygen", "--out", key.toString(), "--bits", "2048");
        String nodeId = Tools.nodeIdLine(gen.out());
        Run id = run("identity", "--key", key.toString());
        assertThat(id.exit()).as(id.err()).isZero();
        assertThat(id.out())
                .contains("node_id: " + nodeId)
                .contains("sig_alg: PS256")
                .contains("-----BEGIN PUBLIC KEY-----");
        Run pub =
                run("identity", "--public-key", dir.resolve("node-key.pub.pem").toString(), "--json");
        assertThat(pub.out()).contains("\"node_id\" : \"" + nodeId + "\"");
    }

    @Test
    void identity_keyReadableByOthers_isRefusedWithTheFix() throws Exception {
        Path key = dir.resolve("node-key.pem");
        run("keygen", "--out", key.toString(), "--bits", "2048");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        Run r = run("identity", "--key", key.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.KEY);
        assertThat(r.err()).contains("too open").contains("chmod 600");
    }

    @Test
    void identity_keyOwnedByAnotherUser_isRefusedWithTheFix() throws Exception {
        assumeTrue((Integer) Files.getAttribute(dir, "unix:uid") == 0, "needs root to give a file away");
        Path key = dir.resolve("node-key.pem");
        run("keygen", "--out", key.toString(), "--bits", "2048");
        Files.setAttribute(key, "unix:uid", 65534);
        Run r = run("identity", "--key", key.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.KEY);
        assertThat(r.err()).contains("is owned by uid 65534").contains("Fix: chown 0 " + key);
    }

    @Test
    void identity_keyInADirectoryWritableByOthers_isRefusedWithTheFix() throws Exception {
        Path data = dir.resolve("data");
        Path key = data.resolve("node-key.pem");
        assertThat(run("keygen", "--out", key.toString(), "--bits", "2048").exit())
                .isZero();
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
        Run r = run("identity", "--key", key.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.KEY);
        assertThat(r.err()).contains("writable by group or others (mode 0777)").contains("Fix: chmod go-w " + data);
    }

    @Test
    void keygen_intoADirectoryWritableByOthers_isRefusedAndWritesNoKey() throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
        Run r = run("keygen", "--out", data.resolve("node-key.pem").toString(), "--bits", "2048");
        assertThat(r.exit()).isEqualTo(ExitCodes.KEY);
        assertThat(r.err()).contains("Fix: chmod go-w " + data);
        assertThat(data.resolve("node-key.pem")).doesNotExist();
    }

    @Test
    void passphraseFileReadableByOthers_isRefusedWithTheFix() throws Exception {
        Path pass = Files.writeString(dir.resolve("pass"), "correct horse\n");
        Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-r--r--"));
        Path key = dir.resolve("node-key.pem");
        Run keygen = run("keygen", "--out", key.toString(), "--bits", "2048", "--passphrase-file", pass.toString());
        assertThat(keygen.exit()).isEqualTo(ExitCodes.KEY);
        assertThat(keygen.err())
                .contains("Permissions 0644 for '" + pass + "' are too open")
                .contains("Fix: chmod 600 " + pass)
                .doesNotContain("correct horse");
        assertThat(key).doesNotExist();

        Path cfg = Files.writeString(dir.resolve("node.yaml"), """
                data_dir: "%s"
                key:
                  passphrase_file: "%s"
                """.formatted(dir, pass));
        Run identity = run("identity", "--config", cfg.toString());
        assertThat(identity.exit()).isEqualTo(ExitCodes.KEY);
        assertThat(identity.err()).contains("too open").contains("chmod 600");
    }

    @Test
    void encryptedKey_passphraseFromASystemdCredential_orRefusedWithoutIt() throws Exception {
        Path creds = Files.createDirectories(dir.resolve("credentials"));
        ownerOnly(Files.writeString(creds.resolve("key-passphrase"), "s3cret passphrase\n"));
        Path key = dir.resolve("node-key.pem");
        Run gen = run(
                "keygen",
                "--out",
                key.toString(),
                "--bits",
                "2048",
                "--passphrase-file",
                creds.resolve("key-passphrase").toString());
        String nodeId = Tools.nodeIdLine(gen.out());
        Path cfg = Files.writeString(dir.resolve("node.yaml"), """
                data_dir: "%s"
                key:
                  passphrase_credential: key-passphrase
                """.formatted(dir));
        Run ok = runWithEnv(
                Map.of("HOME", dir.toString(), "CREDENTIALS_DIRECTORY", creds.toString()),
                "",
                "identity",
                "--config",
                cfg.toString());
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("node_id: " + nodeId);
        assertThat(ok.out() + ok.err()).doesNotContain("s3cret");

        Run noCredentials = run("identity", "--config", cfg.toString());
        assertThat(noCredentials.exit()).isEqualTo(ExitCodes.KEY);
        assertThat(noCredentials.err()).contains("CREDENTIALS_DIRECTORY").contains("LoadCredential");

        Files.writeString(creds.resolve("key-passphrase"), "wrong\n");
        Run wrong = runWithEnv(
                Map.of("HOME", dir.toString(), "CREDENTIALS_DIRECTORY", creds.toString()),
                "",
                "identity",
                "--config",
                cfg.toString());
        assertThat(wrong.exit()).isEqualTo(ExitCodes.KEY);
        assertThat(wrong.err()).containsIgnoringCase("passphrase").doesNotContain("wrong\n");
    }

    @Test
    void serve_printConfig_showsTheEffectiveConfigWithFlagsApplied() {
        Run r = run("serve", "--print-config", "--listen", "127.0.0.1:9999", "--provider", "cpu");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("listen: \"127.0.0.1:9999\"")
                .contains("provider: \"cpu\"")
                .contains("max_body_bytes: 67108864");
    }

    @Test
    void serve_printConfig_showsDataDirAsAPlainPath() {
        Run r = run("serve", "--print-config");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("data_dir: \"" + dir.resolve(".local/share/pxnode") + "\"");
        assertThat(r.out()).doesNotContain("file:/");
    }

    @Test
    void serve_startupUrl_isHttpsWhenTlsIsOn() {
        InetSocketAddress v4 = new InetSocketAddress("127.0.0.1", 8443);
        assertThat(ServeCommand.baseUrl(true, v4)).isEqualTo("https://127.0.0.1:8443");
        assertThat(ServeCommand.baseUrl(false, v4)).isEqualTo("http://127.0.0.1:8443");
        InetSocketAddress v6 = new InetSocketAddress("::1", 8080);
        assertThat(ServeCommand.baseUrl(true, v6)).isEqualTo("https://[0:0:0:0:0:0:0:1]:8080");
    }

    @Test
    void serve_badConfig_isOneLineAndExitCode3() throws Exception {
        Path cfg = Files.writeString(dir.resolve("node.yaml"), "server:\n  queue_capacity: -1\n");
        Run r = run("serve", "--config", cfg.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err().strip())
                .startsWith("pxnode: ")
                .contains("server.queue_capacity")
                .doesNotContain("\n");
        Run verbose = run("serve", "--config", cfg.toString(), "--verbose");
        assertThat(verbose.err()).contains("\tat ");
    }

    @Test
    void unknownOptionOrCommand_isUsageExit2() {
        assertThat(run("serve", "--bogus").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("frobnicate").exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void verify_envelopeFromANode_validThenTamperedThenCompared() throws Exception {
        TestModels.writeAdd(dir.resolve("models"));
        try (TestNode node = TestNode.start(dir, TestNode.newKey(), Map.of())) {
            String req =
                    "{\"id\":\"%s\",\"inputs\":[{\"name\":\"a\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]},"
                            + "{\"name\":\"b\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[%s,1,1,1]}]}";
            String env = new String(
                    node.postJson("/v2/models/add/infer", req.formatted("c1", "1"))
                            .body(),
                    StandardCharsets.UTF_8);
            Path file = Files.writeString(dir.resolve("env.json"), env);
            String url = node.base.toString();

            Run ok = run("verify", file.toString(), "--node", url);
            assertThat(ok.exit()).as(ok.err()).isZero();
            assertThat(ok.out().strip()).isEqualTo("valid");

            Run stdin = runWithStdin(env.replace("\"c1\"", "\"c2\""), "verify", "-", "--node", url);
            assertThat(stdin.exit()).isEqualTo(ExitCodes.CHECK_FAILED);
            assertThat(stdin.out()).startsWith("invalid: POE");

            Run garbage = runWithStdin("not json", "verify", "--node", url);
            assertThat(garbage.exit()).isEqualTo(ExitCodes.CHECK_FAILED);
            assertThat(garbage.out()).startsWith("invalid: malformed envelope");

            // the same request on the same node: bitwise equal; a different input: different
            Path same = Files.write(
                    dir.resolve("same.json"),
                    node.postJson("/v2/models/add/infer", req.formatted("c1", "1"))
                            .body());
            Run eq = run("verify", "--compare", file.toString(), same.toString(), "--node", url);
            assertThat(eq.exit()).as(eq.out()).isZero();
            assertThat(eq.out()).contains("sum: equal").contains("results agree");

            Path other = Files.write(
                    dir.resolve("other.json"),
                    node.postJson("/v2/models/add/infer", req.formatted("c1", "1.5"))
                            .body());
            Run diff = run("verify", "--compare", file.toString(), other.toString());
            assertThat(diff.exit()).isEqualTo(ExitCodes.CHECK_FAILED);
            assertThat(diff.out()).contains("sum: DIFFERENT").contains("worst element 0 [0, 0]: 2.0 in A, 2.5 in B");
            Run tolerant = run("verify", "--compare", file.toString(), other.toString(), "--tolerance", "0.5");
            assertThat(tolerant.exit()).isZero();
            assertThat(tolerant.out()).contains("within tolerance");
        }
    }

    @Test
    void verify_withoutAKeySource_isUsage() throws Exception {
        Path file = Files.writeString(dir.resolve("env.json"), "{}");
        assertThat(run("verify", file.toString()).exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void selfTest_withAKeyAndModels_passesEveryCheck() throws Exception {
        TestModels.writeAdd(dir.resolve("models"));
        Path key = dir.resolve("node-key.pem");
        run("keygen", "--out", key.toString(), "--bits", "2048");
        Path cfg = Files.writeString(dir.resolve("node.yaml"), """
                data_dir: "%s"
                key:
                  generate: false
                engine:
                  provider: cpu
                  default_model: false
                """.formatted(dir));
        Run r = run("self-test", "--config", cfg.toString(), "--json");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("\"ok\" : true").contains("\"name\" : \"request\"");

        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-rw----"));
        Run bad = run("self-test", "--config", cfg.toString());
        assertThat(bad.exit()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(bad.out()).contains("FAIL  key").contains("self-test FAILED");
    }

    @Test
    void selfTest_cudaOnAMachineWithoutIt_failsTheGpuCheck() throws Exception {
        TestModels.writeAdd(dir.resolve("models"));
        run("keygen", "--out", dir.resolve("node-key.pem").toString(), "--bits", "2048");
        Run r = run("self-test", "--data-dir", dir.toString(), "--provider", "cuda");
        assertThat(r.exit()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(r.out()).contains("FAIL  gpu").contains("FAIL  models");
    }
}
