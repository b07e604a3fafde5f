package io.parallelix.node.daemon.http;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.parallelix.node.daemon.error.ApiException;
import java.util.Locale;

/** Content negotiation shared by the POST endpoints. */
final class MediaTypes {
    static final String JSON = "application/json";
    static final String OCTET_STREAM = "application/octet-stream";

    private MediaTypes() {}

    /** The request's media type, lowercase, without parameters; 415 when there is none. */
    static String of(FullHttpRequest req) {
        String ct = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (ct == null) {
            throw new ApiException.UnsupportedMediaType("Content-Type is required");
        }
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    static void requireJson(FullHttpRequest req) {
        String type = of(req);
        if (!type.equals(JSON)) {
            throw new ApiException.UnsupportedMediaType("Content-Type must be application/json, got '" + type + "'");
        }
    }

    static boolean accepts(FullHttpRequest req, String type) {
        String accept = req.headers().get(HttpHeaderNames.ACCEPT);
        return accept != null && accept.toLowerCase(Locale.ROOT).contains(type);
    }
}
