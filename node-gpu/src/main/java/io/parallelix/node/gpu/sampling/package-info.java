/**
 * Sampling that any implementation can reproduce: one step's logits, the token history and the
 * {@link io.parallelix.node.gpu.sampling.SamplingParams} in, one token (and its logprobs) out, by the
 * pipeline that docs/generation.md specifies bit for bit. Pure Java, no ONNX Runtime: the decode loop
 * feeds it. Entries: {@link io.parallelix.node.gpu.sampling.Sampler} (one per sequence, with its
 * {@link io.parallelix.node.gpu.sampling.TokenHistory}) and
 * {@link io.parallelix.node.gpu.sampling.StopMatcher} for stop strings on the detokenised text.
 */
@NullMarked
package io.parallelix.node.gpu.sampling;

import org.jspecify.annotations.NullMarked;
