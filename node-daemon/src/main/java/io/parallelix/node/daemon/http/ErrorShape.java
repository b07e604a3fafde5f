package io.parallelix.node.daemon.http;

import io.netty.util.AttributeKey;

/**
 * The JSON an error is written in, chosen by the request's path: OpenAI's
 * {@code {"error":{"message","type","param","code"}}} under /v1/ (OpenAI clients parse that
 * shape), the node's own {@code {"error","code","request_id"}} everywhere else, including pxnode's
 * /v1/node and /v1/node/challenge. Statuses, codes and limits are the same in both.
 */
enum ErrorShape {
    NODE,
    OPENAI;

    /** The shape of the request whose head the connection last read, for errors without a request at hand (408). */
    static final AttributeKey<ErrorShape> CURRENT = AttributeKey.valueOf("pxnode.errorShape");

    static ErrorShape of(String uri) {
        int end = uri.length();
        for (int i = 0; i < uri.length(); i++) {
            if (uri.charAt(i) == '?' || uri.charAt(i) == '#') {
                end = i;
                break;
            }
        }
        String path = uri.substring(0, end);
        boolean node = path.equals("/v1/node") || path.startsWith("/v1/node/");
        return path.startsWith("/v1/") && !node ? OPENAI : NODE;
    }
}
