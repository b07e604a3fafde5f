package io.parallelix.node.daemon.verify;

import io.parallelix.node.crypto.EnvelopeVerifier;
import io.parallelix.node.crypto.SignedHeaders;
import io.parallelix.node.crypto.SignedStream;
import io.parallelix.node.crypto.Verdict;
import io.parallelix.node.daemon.protocol.Envelope;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The claimed answer after its PoE and signature were checked with the claimer's key (the same
 * checks, in the same order, as {@code pxnode verify}): the verdict, and when it holds, the signed
 * result bytes with the request id, node id and result format that came with them.
 */
@SuppressWarnings("ArrayRecordComponent") // result bytes, compared by content
record SignedClaim(Verdict verdict, String requestId, String nodeId, String resultFormat, byte[] result) {

    static SignedClaim check(EnvelopeVerifier verifier, VerifyRequest.Answer answer, RSAPublicKey key) {
        return switch (answer) {
            case VerifyRequest.Answer.InEnvelope(Envelope e) ->
                new SignedClaim(e.verify(verifier, key), e.requestId(), e.nodeId(), e.resultFormat(), e.result());
            case VerifyRequest.Answer.Body(byte[] body, Map<String, List<String>> headers) -> {
                Verdict v = verifier.verifyHeaders(body, headers, key);
                yield new SignedClaim(
                        v,
                        header(headers, SignedHeaders.REQUEST_ID),
                        header(headers, SignedHeaders.NODE_ID),
                        header(headers, SignedHeaders.RESULT_FORMAT),
                        body);
            }
            case VerifyRequest.Answer.Stream(byte[] raw) -> {
                Verdict v = verifier.verifyStream(raw, key);
                if (!(SignedStream.read(raw) instanceof SignedStream.Framed f)) {
                    yield new SignedClaim(v, "", "", "", new byte[0]);
                }
                yield new SignedClaim(
                        v,
                        f.trailer().requestId(),
                        f.trailer().nodeId(),
                        f.trailer().resultFormat(),
                        f.result());
            }
        };
    }

    /** One header's value, its name in any case; "" when absent (the verdict says why it matters). */
    private static String header(Map<String, List<String>> headers, String name) {
        @Nullable List<String> values = null;
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase(name)) {
                values = h.getValue();
            }
        }
        return values == null || values.isEmpty() ? "" : values.get(0).trim();
    }
}
