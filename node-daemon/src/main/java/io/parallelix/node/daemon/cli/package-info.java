/**
 * The pxnode command line (picocli): serve, keygen, identity, self-test, verify. Commands are
 * {@code Callable<Integer>} and write through the command line's streams; exit codes come from one place
 * ({@link io.parallelix.node.daemon.cli.ExitCodes}). Entry: {@link io.parallelix.node.daemon.cli.PxNode}.
 */
@NullMarked
package io.parallelix.node.daemon.cli;

import org.jspecify.annotations.NullMarked;
