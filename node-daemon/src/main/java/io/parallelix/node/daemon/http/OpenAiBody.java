package io.parallelix.node.daemon.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.protocol.ModelPeek;

/**
 * What an OpenAI-shaped request gives on the event loop, before its body is decoded on a worker:
 * the request id (header or allocated), a copy of the body, and the model it names (the queue
 * needs it). A bad Content-Type or model field fails here, with the request id attached.
 */
@SuppressWarnings("ArrayRecordComponent") // a request body, never compared
record OpenAiBody(String requestId, byte[] body, String model) {
    static OpenAiBody read(FullHttpRequest req, RequestIdHeader ids, ModelPeek peek) {
        MediaTypes.requireJson(req);
        String requestId = ids.of(req);
        byte[] body = ByteBufUtil.getBytes(req.content());
        try {
            return new OpenAiBody(requestId, body, peek.model(body));
        } catch (ApiException e) {
            throw e.withRequestId(requestId);
        }
    }
}
