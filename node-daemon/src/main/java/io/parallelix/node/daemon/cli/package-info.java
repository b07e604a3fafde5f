@NullMarked
package io.parallelix.node.daemon.cli;

import org.jspecify.annotations.NullMarked;
