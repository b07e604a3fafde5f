/**
 * The composition root: {@link io.parallelix.node.daemon.Node} builds engine, signer, service and
 * listeners by constructor and closes them in reverse order. Sub-packages are the corridor's rooms:
 * http → service → task → (node-gpu) → service signs → http writes; docs/architecture.md draws it.
 */
@NullMarked
package io.parallelix.node.daemon;

import org.jspecify.annotations.NullMarked;
