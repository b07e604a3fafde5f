/**
 * POST /v1/verify: this node checks another node's signed answer (docs/verification.md). The
 * decoder reads the verify request; {@link io.parallelix.node.daemon.verify.VerifyRunner} checks
 * the claimer's PoE and signature, re-runs tensors and embeddings or teacher-forces generations on
 * this node's engine under the declared policy, and writes the verdict, which the service signs
 * like any other result.
 */
@NullMarked
package io.parallelix.node.daemon.verify;

import org.jspecify.annotations.NullMarked;
