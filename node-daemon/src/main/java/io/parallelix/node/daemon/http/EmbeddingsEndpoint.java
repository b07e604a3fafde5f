package io.parallelix.node.daemon.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.daemon.protocol.EmbeddingsDecoder;
import io.parallelix.node.daemon.protocol.EmbeddingsRequest;
import io.parallelix.node.daemon.protocol.ModelPeek;
import io.parallelix.node.daemon.task.EmbeddingRunner;

/**
 * POST /v1/embeddings, OpenAI-compatible: the model in the body, the answer whole, its body
 * exactly the signed result with its PoE in the Pxnode-* headers ({@link WholeJsonEndpoint}).
 */
public final class EmbeddingsEndpoint extends WholeJsonEndpoint<EmbeddingsRequest> {
    /** The parts of this kind: decoder, runner, the model peek, where request ids come from. */
    public record Parts(EmbeddingsDecoder decoder, EmbeddingRunner runner, ModelPeek peek, RequestIdHeader ids) {}

    public EmbeddingsEndpoint(Parts parts, ObjectMapper mapper) {
        super(parts.decoder()::decode, parts.runner(), parts.peek(), parts.ids(), mapper);
    }
}
