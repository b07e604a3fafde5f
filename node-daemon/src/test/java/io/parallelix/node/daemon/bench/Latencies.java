package io.parallelix.node.daemon.bench;

/** A window's latency summary in µs, as every RESULT line carries it: p50, p90, p99, max, mean. */
record Latencies(double p50, double p90, double p99, double max, double mean) {}
