package io.parallelix.node.daemon.protocol;

import java.util.List;

/** {@code GET /v2}. */
public record ServerMetadata(String name, String version, List<String> extensions) {}
