package io.parallelix.node.daemon.http;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import javax.net.ssl.SSLException;

/**
 * The listener's TLS: TLS 1.3 and 1.2 only, the JDK's provider; with a client CA, mutual TLS where
 * a client without a certificate from that CA (or with an expired one) fails the handshake.
 * Renegotiation started by a client (TLS 1.2; 1.3 has none) is refused with a fatal alert.
 */
final class TlsContexts {
    /**
     * The JDK's switch for that refusal. It is JVM-wide and read once, when the process's first
     * server handshake loads the JDK's ServerHandshakeContext: the launcher passes it with -D, and
     * this class sets it before any listener can handshake, for nodes started otherwise (tests).
     */
    private static final String REJECT_RENEGOTIATION = "jdk.tls.rejectClientInitiatedRenegotiation";

    private TlsContexts() {}

    static SslContext server(ServerSettings.Tls tls) throws IOException {
        System.setProperty(REJECT_RENEGOTIATION, "true");
        try {
            // the JDK provider on purpose: the property above is its switch (netty-tcnative is not
            // on the class path, but Netty would pick OpenSSL if it ever were)
            SslContextBuilder b = SslContextBuilder.forServer(
                            tls.certChain().toFile(), tls.privateKey().toFile())
                    .sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2");
            if (tls.clientCa() != null) {
                b.trustManager(tls.clientCa().toFile()).clientAuth(ClientAuth.REQUIRE);
            }
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IOException(
                    "server.tls: cannot use " + tls.certChain() + " / " + tls.privateKey()
                            + (tls.clientCa() != null ? " / " + tls.clientCa() : "")
                            + " (PEM certificate chain, PKCS#8 PEM key, PEM CA): " + rootMessage(e),
                    e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }
}
