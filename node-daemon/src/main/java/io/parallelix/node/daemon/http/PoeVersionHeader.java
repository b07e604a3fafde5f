package io.parallelix.node.daemon.http;

import io.netty.handler.codec.http.HttpRequest;
import io.parallelix.node.crypto.PoeVersion;
import io.parallelix.node.crypto.SignedHeaders;
import io.parallelix.node.daemon.error.ApiException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The PoE layout a request asks for in its {@code Pxnode-Poe-Version} request header (the name
 * the answer uses for the same fact), on every task endpoint. Absent: null, the node's default.
 */
final class PoeVersionHeader {
    private PoeVersionHeader() {}

    /** 400 naming the header when it is there twice or is not exactly "1" or "2". */
    static @Nullable PoeVersion of(HttpRequest req) {
        List<String> given = req.headers().getAll(SignedHeaders.POE_VERSION);
        if (given.isEmpty()) {
            return null;
        }
        if (given.size() > 1) {
            throw new ApiException.BadRequest(SignedHeaders.POE_VERSION, "must appear once");
        }
        return PoeVersion.parse(given.get(0).strip())
                .orElseThrow(() -> new ApiException.BadRequest(
                        SignedHeaders.POE_VERSION,
                        "must be " + PoeVersion.known().replace(", ", " or ")));
    }
}
