package io.parallelix.node.daemon.http;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One listener. idleSpin: how long an idle event loop may poll before it blocks (0: never,
 * {@link IdleSpin}); readTimeout: a whole request must arrive within it of its first byte;
 * idleTimeout: a keep-alive connection with nothing to do is closed; writeTimeout: a client that
 * does not read its response is dropped; endpoints: what this listener serves (others are 404);
 * tls: null for plain HTTP.
 */
public record ServerSettings(
        String host,
        int port,
        int ioThreads,
        Duration idleSpin,
        int maxBodyBytes,
        int maxHeaderBytes,
        int maxConnections,
        Duration readTimeout,
        Duration idleTimeout,
        Duration writeTimeout,
        Set<Endpoint> endpoints,
        @Nullable Tls tls) {

    public ServerSettings {
        endpoints = Set.copyOf(endpoints);
    }

    /**
     * TLS from PEM files; clientCa non-null means mutual TLS. A handshake must finish within
     * handshakeTimeout; at most maxHandshakes connections are in their handshake at once.
     */
    public record Tls(
            Path certChain, Path privateKey, @Nullable Path clientCa, Duration handshakeTimeout, int maxHandshakes) {}
}
