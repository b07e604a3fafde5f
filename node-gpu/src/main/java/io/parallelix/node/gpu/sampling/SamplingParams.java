package io.parallelix.node.gpu.sampling;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * One choice's sampling parameters, by the OpenAI field names (top_k, min_p and
 * repetition_penalty by vLLM's), validated here with messages naming the field. temperature 0 is
 * greedy; top_k 0, top_p 1, min_p 0, repetition_penalty 1 and the other penalties 0 are off. The
 * seed is resolved: the request's {@code seed}, or {@link #seedFromRequestId} when it has none.
 */
public record SamplingParams(
        double temperature,
        int topK,
        double topP,
        double minP,
        double repetitionPenalty,
        double frequencyPenalty,
        double presencePenalty,
        long seed,
        boolean logprobs,
        int topLogprobs) {
    public static final int MAX_TOP_LOGPROBS = 20;
    private static final byte[] SEED_DOMAIN = "pxnode-seed-v1\0".getBytes(StandardCharsets.US_ASCII);

    public SamplingParams {
        range("temperature", temperature, 0, 2);
        if (topK < 0) {
            throw new IllegalArgumentException("top_k must be 0 (off) or a positive number of tokens, got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be greater than 0 and at most 1, got " + topP);
        }
        range("min_p", minP, 0, 1);
        range("repetition_penalty", repetitionPenalty, 0.01, 100);
        range("frequency_penalty", frequencyPenalty, -2, 2);
        range("presence_penalty", presencePenalty, -2, 2);
        if (topLogprobs < 0 || topLogprobs > MAX_TOP_LOGPROBS) {
            throw new IllegalArgumentException(
                    "top_logprobs must be between 0 and " + MAX_TOP_LOGPROBS + ", got " + topLogprobs);
        }
        if (topLogprobs > 0 && !logprobs) {
            throw new IllegalArgumentException("top_logprobs needs logprobs: true");
        }
    }

    /** OpenAI's defaults: temperature 1, top_p 1, no penalties, no logprobs. */
    public static SamplingParams defaults(long seed) {
        return new SamplingParams(1.0, 0, 1.0, 0.0, 1.0, 0.0, 0.0, seed, false, 0);
    }

    public boolean greedy() {
        return temperature == 0;
    }

    public SamplingParams withTemperature(double t) {
        return new SamplingParams(
                t, topK, topP, minP, repetitionPenalty, frequencyPenalty, presencePenalty, seed, logprobs, topLogprobs);
    }

    /** top_k, top_p and min_p together. */
    public SamplingParams withTruncation(int k, double p, double min) {
        return new SamplingParams(
                temperature,
                k,
                p,
                min,
                repetitionPenalty,
                frequencyPenalty,
                presencePenalty,
                seed,
                logprobs,
                topLogprobs);
    }

    /** repetition_penalty, frequency_penalty and presence_penalty together. */
    public SamplingParams withPenalties(double repetition, double frequency, double presence) {
        return new SamplingParams(
                temperature, topK, topP, minP, repetition, frequency, presence, seed, logprobs, topLogprobs);
    }

    public SamplingParams withSeed(long s) {
        return new SamplingParams(
                temperature,
                topK,
                topP,
                minP,
                repetitionPenalty,
                frequencyPenalty,
                presencePenalty,
                s,
                logprobs,
                topLogprobs);
    }

    /** logprobs: true with this many top_logprobs. */
    public SamplingParams withLogprobs(int top) {
        return new SamplingParams(
                temperature, topK, topP, minP, repetitionPenalty, frequencyPenalty, presencePenalty, seed, true, top);
    }

    /**
     * The seed of a request that gives none, so a re-dispatched request draws the same tokens: the
     * first 8 bytes, big-endian, of SHA-256("pxnode-seed-v1" 0x00 || UTF-8(requestId)).
     */
    public static long seedFromRequestId(String requestId) {
        ByteBuffer utf8;
        try {
            utf8 = StandardCharsets.UTF_8
                    .newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(requestId));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("request id is not valid UTF-16 (a lone surrogate)", e);
        }
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(SEED_DOMAIN);
            sha256.update(utf8);
            return ByteBuffer.wrap(sha256.digest()).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static String plain(double bound) {
        return BigDecimal.valueOf(bound).stripTrailingZeros().toPlainString();
    }

    private static void range(String field, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(
                    field + " must be between " + plain(min) + " and " + plain(max) + ", got " + value);
        }
    }
}
