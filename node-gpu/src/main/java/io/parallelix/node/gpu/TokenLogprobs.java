package io.parallelix.node.gpu;

import java.util.List;

/**
 * The model's log-probability of a chosen token and its {@code top_logprobs} alternatives
 * (docs/generation.md §5: raw, before penalties and temperature). {@code token} is the token's
 * own text (decoded alone, special tokens kept; a token that is part of a UTF-8 sequence decodes
 * to U+FFFD, which is why OpenAI also sends {@code bytes}).
 */
public record TokenLogprobs(int id, String token, double logprob, List<Top> top) {
    public TokenLogprobs {
        top = List.copyOf(top);
    }

    public record Top(int id, String token, double logprob) {}
}
