package io.parallelix.node.gpu.sampling;

/**
 * A claimed token judged at one step by {@link Sampler#judge}: the token the sampler itself draws
 * there ({@code reproduced}), the claimed token's penalised logit below the largest
 * ({@code logitGap}, 0 for the argmax), and its probability under the request's sampling after
 * truncation ({@code probability}: 0 outside the kept set; greedy: 1 for the argmax, else 0).
 */
public record SampleCheck(int reproduced, double logitGap, double probability) {}
