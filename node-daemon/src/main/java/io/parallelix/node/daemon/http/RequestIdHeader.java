package io.parallelix.node.daemon.http;

import io.netty.handler.codec.http.HttpRequest;
import io.parallelix.node.crypto.RequestIds;
import io.parallelix.node.crypto.SignedHeaders;
import io.parallelix.node.daemon.error.ApiException;
import java.util.HexFormat;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The request id of a task whose body has no room for one (OpenAI's): the coordinator's, from the
 * {@code Pxnode-Request-Id} request header, under the same rules as the OIP {@code id}. Without
 * the header the node allocates one ({@code pxnode-} + 32 random hex digits, all of one length so
 * none is a prefix of another) and returns it: the direct-use case, not the coordinator protocol,
 * where the coordinator must allocate every id it verifies against.
 */
public final class RequestIdHeader {
    static final String NODE_PREFIX = "pxnode-";

    private final RandomGenerator random;

    /** {@code random}: a SecureRandom in the node, so no client can guess (and take) the next id. */
    public RequestIdHeader(RandomGenerator random) {
        this.random = random;
    }

    /** The header's id, or a new one; 400 naming the header when it is there twice or breaks the rules. */
    String of(HttpRequest req) {
        List<String> given = req.headers().getAll(SignedHeaders.REQUEST_ID);
        if (given.size() > 1) {
            throw new ApiException.BadRequest(SignedHeaders.REQUEST_ID, "must appear once");
        }
        if (given.isEmpty()) {
            return allocate();
        }
        try {
            return RequestIds.requireValid(given.get(0));
        } catch (IllegalArgumentException e) {
            throw new ApiException.BadRequest(SignedHeaders.REQUEST_ID, String.valueOf(e.getMessage()));
        }
    }

    private String allocate() {
        byte[] b = new byte[16];
        synchronized (random) { // SecureRandom is safe across threads; other generators need not be
            random.nextBytes(b);
        }
        return NODE_PREFIX + HexFormat.of().formatHex(b);
    }
}
