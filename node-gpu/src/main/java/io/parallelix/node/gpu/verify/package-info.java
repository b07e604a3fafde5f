/**
 * Honest-result checks for re-dispatch (docs/verification.md): one node checks another node's
 * answer cheaply under a declared {@link io.parallelix.node.gpu.verify.VerifyPolicy}. Tensors and
 * embeddings are re-run and compared ({@link io.parallelix.node.gpu.verify.TensorComparison},
 * {@link io.parallelix.node.gpu.verify.EmbeddingComparison}); generations are not re-generated:
 * one teacher-forced prefill over prompt + claimed tokens checks every claimed token
 * ({@link io.parallelix.node.gpu.Engine#checkGeneration}).
 */
@NullMarked
package io.parallelix.node.gpu.verify;

import org.jspecify.annotations.NullMarked;
