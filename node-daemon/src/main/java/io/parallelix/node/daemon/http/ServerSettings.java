package io.parallelix.node.daemon.http;

import java.time.Duration;

/**
 * Listener limits. readTimeout: a whole request must arrive within it of its first byte;
 * idleTimeout: a keep-alive connection with nothing to do is closed; writeTimeout: a client that
 * does not read its response is dropped.
 */
public record ServerSettings(
        String host,
        int port,
        int ioThreads,
        int maxBodyBytes,
        int maxHeaderBytes,
        int maxConnections,
        Duration readTimeout,
        Duration idleTimeout,
        Duration writeTimeout) {}
