/**
 * What every module's tests share and none of the node ships: {@link Subprocess} runs an external
 * program (openssl, python3, the built launcher, wrk) with a bounded wait and captured output;
 * {@link RepoRoot} finds the repository's files (scripts/, docs/, config/). Plain JDK, test scope.
 */
@NullMarked
package io.parallelix.node.testing;

import org.jspecify.annotations.NullMarked;
