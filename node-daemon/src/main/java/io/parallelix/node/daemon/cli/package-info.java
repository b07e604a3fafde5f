/**
 * The pxnode command line: {@link io.parallelix.node.daemon.cli.Main} is the executable's entry,
 * {@link io.parallelix.node.daemon.cli.PxNode} the picocli root; {@code serve} is the composition
 * root that builds and closes the node.
 */
@NullMarked
package io.parallelix.node.daemon.cli;

import org.jspecify.annotations.NullMarked;
