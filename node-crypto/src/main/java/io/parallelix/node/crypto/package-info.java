/**
 * Identity and proof for the node, plain JDK so a Java coordinator can embed it: RSA keys and
 * their files ({@link io.parallelix.node.crypto.NodeKey}, {@link io.parallelix.node.crypto.KeyFiles}),
 * node_id ({@link io.parallelix.node.crypto.NodeId}), the PoE byte layout
 * ({@link io.parallelix.node.crypto.ProofOfExecution}), signing with verify-after-sign
 * ({@link io.parallelix.node.crypto.ResultSigner}) and the coordinator's check
 * ({@link io.parallelix.node.crypto.EnvelopeVerifier}). Entry types: those five.
 */
@NullMarked
package io.parallelix.node.crypto;

import org.jspecify.annotations.NullMarked;
