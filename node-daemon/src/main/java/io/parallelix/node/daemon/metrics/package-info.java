@NullMarked
package io.parallelix.node.daemon.metrics;

import org.jspecify.annotations.NullMarked;
