package io.parallelix.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelix.node.testing.Subprocess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * A CA, a server certificate for 127.0.0.1 and a coordinator's client certificate, made with
 * openssl (as TransportSecurityTest makes its own), and what a node and a client need from them.
 */
public final class TestPki {
    private final Path dir;

    private TestPki(Path dir) {
        this.dir = dir;
    }

    public static TestPki create(Path dir) throws IOException {
        TestPki pki = new TestPki(Files.createDirectories(dir));
        pki.openssl(
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "30",
                "-subj",
                "/CN=ca");
        pki.issue("server", "/CN=node", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        pki.issue("client", "/CN=coordinator", "extendedKeyUsage=clientAuth\n");
        return pki;
    }

    /** Config overrides for mutual TLS on the node's main listener. */
    public Map<String, String> mutualTls() {
        return Map.of(
                "server.tls.enabled", "true",
                "server.tls.cert_file", dir.resolve("server.pem").toString(),
                "server.tls.key_file", dir.resolve("server.key").toString(),
                "server.tls.client_ca_file", dir.resolve("ca.pem").toString());
    }

    /** A client context trusting the CA and presenting the coordinator's certificate. */
    public SSLContext coordinator() throws Exception {
        return clientContext(dir.resolve("ca.pem"), dir.resolve("client.p12"));
    }

    /** A TLS client context trusting {@code caPem}, presenting the PKCS#12 {@code p12} (password "test") or none. */
    public static SSLContext clientContext(Path caPem, @Nullable Path p12) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            trust.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (p12 != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(p12)) {
                keys.load(in, "test".toCharArray());
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "test".toCharArray());
        }
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ssl;
    }

    private void issue(String name, String subject, String extensions) throws IOException {
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", name + ".key");
        openssl("req", "-new", "-key", name + ".key", "-subj", subject, "-out", name + ".csr");
        Files.writeString(dir.resolve(name + ".ext"), extensions);
        openssl(
                "x509",
                "-req",
                "-in",
                name + ".csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                "30",
                "-sha256",
                "-extfile",
                name + ".ext",
                "-out",
                name + ".pem");
        openssl(
                "pkcs12",
                "-export",
                "-inkey",
                name + ".key",
                "-in",
                name + ".pem",
                "-out",
                name + ".p12",
                "-passout",
                "pass:test");
    }

    private void openssl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Subprocess.Result r = Subprocess.of(dir, cmd).run();
        assertThat(r.exit()).as(String.join(" ", cmd) + "\n" + r.stderr()).isZero();
    }
}
