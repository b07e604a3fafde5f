package io.parallelix.node.daemon.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaders;
import io.parallelix.node.crypto.SignedHeaders;
import io.parallelix.node.crypto.SignedResult;
import io.parallelix.node.daemon.service.SignedAnswer;
import java.io.IOException;
import java.util.Base64;

/**
 * The PoE of an answer whose body is exactly the signed result (OIP octet-stream, OpenAI-shaped
 * JSON; generation's whole answers next): the envelope's other fields as response headers, in one
 * fixed order (docs/protocol.md, "PoE in headers"). Result format and meta are not signed.
 */
final class PoeHeaders {
    private final ObjectMapper mapper;

    PoeHeaders(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void write(HttpHeaders headers, SignedAnswer a) {
        SignedResult s = a.signed();
        headers.set(SignedHeaders.REQUEST_ID, a.requestId())
                .set(SignedHeaders.NODE_ID, s.nodeId().hex())
                .set(SignedHeaders.RESULT_FORMAT, a.resultFormat())
                .set(SignedHeaders.POE, s.poeHex())
                .set(SignedHeaders.SIG, Base64.getEncoder().encodeToString(s.sig()))
                .set(SignedHeaders.SIG_ALG, s.sigAlg().wireName())
                .set(SignedHeaders.POE_VERSION, s.poeVersion().number())
                .set(SignedHeaders.META, meta(a));
    }

    /** One line of ASCII JSON: model names and digests are ASCII, and Jackson escapes nothing into a newline. */
    private String meta(SignedAnswer a) {
        try {
            return mapper.writeValueAsString(a.meta());
        } catch (IOException e) {
            throw new IllegalStateException("meta is always serializable", e);
        }
    }
}
