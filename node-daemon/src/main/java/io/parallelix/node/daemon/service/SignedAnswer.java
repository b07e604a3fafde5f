package io.parallelix.node.daemon.service;

import io.parallelix.node.crypto.SignedResult;
import io.parallelix.node.daemon.protocol.EnvelopeMeta;
import io.parallelix.node.daemon.protocol.TokenUsage;
import org.jspecify.annotations.Nullable;

/**
 * A result bound to its request and this node: the exact result bytes, their PoE and signature,
 * and unsigned meta. {@code streamed} says the bytes already went to the client as chunks;
 * {@code usage}: a generation's tokens, for the access log. Each kind's wire form turns it into an
 * HTTP answer.
 */
@SuppressWarnings("ArrayRecordComponent") // compared by bytes, never by equals
public record SignedAnswer(
        String requestId,
        byte[] result,
        String resultFormat,
        SignedResult signed,
        EnvelopeMeta meta,
        boolean streamed,
        @Nullable TokenUsage usage) {

    public SignedAnswer(
            String requestId,
            byte[] result,
            String resultFormat,
            SignedResult signed,
            EnvelopeMeta meta,
            boolean streamed) {
        this(requestId, result, resultFormat, signed, meta, streamed, null);
    }
}
