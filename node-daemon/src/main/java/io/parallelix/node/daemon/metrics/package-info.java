/**
 * The node's Prometheus metrics, in a registry of its own. Entry:
 * {@link io.parallelix.node.daemon.metrics.NodeMetrics}.
 */
@NullMarked
package io.parallelix.node.daemon.metrics;

import org.jspecify.annotations.NullMarked;
