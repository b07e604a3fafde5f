/**
 * Everything a client can be told went wrong: the sealed
 * {@link io.parallelix.node.daemon.error.ApiException} hierarchy, and the one exhaustive mapping of
 * each kind to an HTTP status and a stable code ({@link io.parallelix.node.daemon.error.ErrorMapping}).
 */
@NullMarked
package io.parallelix.node.daemon.error;

import org.jspecify.annotations.NullMarked;
