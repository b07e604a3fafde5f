/**
 * The pxnode command line (picocli): serve, keygen, identity, self-test, verify, models (list, add,
 * verify: the Models* classes).
 * {@link io.parallelix.node.daemon.cli.Main} is the executable's entry, {@link
 * io.parallelix.node.daemon.cli.PxNode} the picocli root; {@code serve} starts the node (its
 * composition root is {@link io.parallelix.node.daemon.Node}). Commands are {@code
 * Callable<Integer>} and write through the command line's streams; exit codes come from {@link
 * io.parallelix.node.daemon.cli.ExitCodes}.
 */
@NullMarked
package io.parallelix.node.daemon.cli;

import org.jspecify.annotations.NullMarked;
