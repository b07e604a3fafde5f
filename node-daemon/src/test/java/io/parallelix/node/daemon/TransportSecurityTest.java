package io.parallelix.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.gpu.testing.TestModels;
import io.parallelix.node.testing.Subprocess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS and mutual TLS on the listener, the plain admin listener, and the replay guard. The CA,
 * server and client certificates (trusted, unknown CA, expired) are made with openssl.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransportSecurityTest {
    private static final String REQUEST = "{\"id\":\"%s\",\"inputs\":["
            + "{\"name\":\"a\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]},"
            + "{\"name\":\"b\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,1,1,1]}]%s}";

    @TempDir
    static Path dir;

    private Path pki;
    private TestNode node;
    private URI https;
    private URI admin;

    private void openssl(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Subprocess.Result r = Subprocess.of(pki, cmd).run();
        assertThat(r.exit()).as(String.join(" ", cmd) + "\n" + r.stderr()).isZero();
    }

    /** A key and a certificate signed by {@code ca}, valid from/to the given dates (openssl ca). */
    private void issue(String name, String ca, String subject, String start, String end, String extensions)
            throws IOException {
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", name + ".key");
        openssl("req", "-new", "-key", name + ".key", "-subj", subject, "-out", name + ".csr");
        Files.writeString(pki.resolve(name + ".ext"), extensions);
        Path db = Files.createDirectories(pki.resolve("db-" + name));
        Files.writeString(db.resolve("index.txt"), "");
        Files.writeString(db.resolve("serial"), String.format("%016x%n", System.nanoTime()));
        Files.writeString(pki.resolve("ca-" + name + ".cnf"), """
                [ca]
                default_ca = this
                [this]
                dir = .
                database = db-%1$s/index.txt
                serial = db-%1$s/serial
                new_certs_dir = db-%1$s
                default_md = sha256
                policy = any
                unique_subject = no
                [any]
                commonName = supplied
                """.formatted(name));
        openssl(
                "ca",
                "-batch",
                "-config",
                "ca-" + name + ".cnf",
                "-cert",
                ca + ".pem",
                "-keyfile",
                ca + ".key",
                "-in",
                name + ".csr",
                "-out",
                name + ".pem",
                "-startdate",
                start,
                "-enddate",
                end,
                "-extfile",
                name + ".ext");
    }

    @BeforeAll
    void start() throws Exception {
        pki = Files.createDirectories(dir.resolve("pki"));
        for (String ca : List.of("ca", "other-ca")) {
            openssl(
                    "req",
                    "-x509",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-keyout",
                    ca + ".key",
                    "-out",
                    ca + ".pem",
                    "-days",
                    "30",
                    "-subj",
                    "/CN=" + ca);
        }
        issue(
                "server",
                "ca",
                "/CN=node",
                "20250101000000Z",
                "20991231000000Z",
                "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        issue("client", "ca", "/CN=coordinator", "20250101000000Z", "20991231000000Z", "extendedKeyUsage=clientAuth\n");
        issue(
                "stranger",
                "other-ca",
                "/CN=stranger",
                "20250101000000Z",
                "20991231000000Z",
                "extendedKeyUsage=clientAuth\n");
        issue("expired", "ca", "/CN=expired", "20200101000000Z", "20200102000000Z", "extendedKeyUsage=clientAuth\n");

        TestModels.writeAdd(dir.resolve("models"));
        node = TestNode.start(
                dir,
                TestNode.newKey(),
                Map.of(
                        "server.tls.enabled",
                        "true",
                        "server.tls.cert_file",
                        pki.resolve("server.pem").toString(),
                        "server.tls.key_file",
                        pki.resolve("server.key").toString(),
                        "server.tls.client_ca_file",
                        pki.resolve("ca.pem").toString(),
                        "server.admin_listen",
                        "127.0.0.1:0",
                        "server.replay_window",
                        "10m"));
        https = URI.create("https://127.0.0.1:" + node.node.address().getPort());
        admin = URI.create(
                "http://127.0.0.1:" + node.node.adminAddress().orElseThrow().getPort());
    }

    @AfterAll
    void stop() {
        node.close();
    }

    /** An HTTPS client trusting our CA, presenting {@code clientName}'s certificate (or none). */
    private HttpClient client(@Nullable String clientName) throws Exception {
        Path p12 = null;
        if (clientName != null) {
            openssl(
                    "pkcs12",
                    "-export",
                    "-inkey",
                    clientName + ".key",
                    "-in",
                    clientName + ".pem",
                    "-out",
                    clientName + ".p12",
                    "-passout",
                    "pass:test");
            p12 = pki.resolve(clientName + ".p12");
        }
        SSLContext ssl = TestPki.clientContext(pki.resolve("ca.pem"), p12);
        return HttpClient.newBuilder()
                .sslContext(ssl)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static HttpResponse<String> get(HttpClient c, URI uri) throws Exception {
        return c.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> infer(HttpClient c, URI base, String id, String extra) throws Exception {
        return c.send(
                HttpRequest.newBuilder(base.resolve("/v2/models/add/infer"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(REQUEST.formatted(id, extra)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void trustedClient_isServedOverMutualTls() throws Exception {
        HttpClient c = client("client");
        assertThat(get(c, https.resolve("/v2/health/ready")).statusCode()).isEqualTo(200);
        HttpResponse<String> r = infer(c, https, "tls-1", "");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"request_id\":\"tls-1\"");
    }

    @Test
    void clientsWithoutATrustedValidCertificate_areRefusedInTheHandshake() throws Exception {
        for (String who : new String[] {null, "stranger", "expired"}) {
            HttpClient c = client(who);
            assertThatThrownBy(() -> get(c, https.resolve("/v2/health/live")))
                    .as(who == null ? "no certificate" : who)
                    .isInstanceOf(IOException.class);
        }
        // and the node still serves its coordinator
        assertThat(get(client("client"), https.resolve("/v2/health/live")).statusCode())
                .isEqualTo(200);
    }

    @Test
    void plaintextClient_isRefusedOnTheTlsPort() {
        HttpClient plain =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI http = URI.create("http://127.0.0.1:" + node.node.address().getPort() + "/v2/health/live");
        assertThatThrownBy(() -> get(plain, http)).isInstanceOf(IOException.class);
    }

    @Test
    void adminListener_servesMetricsAndHealthOnlyAndTheMainListenerNoMetrics() throws Exception {
        HttpClient plain = HttpClient.newHttpClient();
        assertThat(get(plain, admin.resolve("/metrics")).body()).contains("pxnode_requests_total");
        assertThat(get(plain, admin.resolve("/v2/health/ready")).statusCode()).isEqualTo(200);
        assertThat(get(plain, admin.resolve("/v1/node")).statusCode()).isEqualTo(404);
        assertThat(infer(plain, admin, "admin-1", "").statusCode()).isEqualTo(404);
        assertThat(get(client("client"), https.resolve("/metrics")).statusCode())
                .isEqualTo(404);
    }

    @Test
    void replayGuard_refusesAnAnsweredIdButLetsAFailedOneBeRetried() throws Exception {
        HttpClient c = client("client");
        assertThat(infer(c, https, "once", "").statusCode()).isEqualTo(200);
        HttpResponse<String> again = infer(c, https, "once", "");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("\"code\":\"replayed_request\"").contains("\"request_id\":\"once\"");

        String wrongPin = ",\"parameters\":{\"model_sha256\":\"" + "0".repeat(64) + "\"}";
        assertThat(infer(c, https, "retry-me", wrongPin).statusCode()).isEqualTo(409);
        assertThat(infer(c, https, "retry-me", "").statusCode()).isEqualTo(200);
    }
}
