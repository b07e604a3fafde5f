package io.parallelix.node.daemon.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.daemon.protocol.ModelPeek;
import io.parallelix.node.daemon.verify.VerifyDecoder;
import io.parallelix.node.daemon.verify.VerifyRequest;
import io.parallelix.node.daemon.verify.VerifyRunner;

/**
 * POST /v1/verify (docs/verification.md): this node checks another node's signed answer. The
 * body names this node's model to check with; the answer's body is the verdict, signed by this
 * node, its PoE in the Pxnode-* headers.
 */
public final class VerifyEndpoint extends WholeJsonEndpoint<VerifyRequest> {
    /** The parts of this kind: decoder, runner, the model peek, where request ids come from. */
    public record Parts(VerifyDecoder decoder, VerifyRunner runner, ModelPeek peek, RequestIdHeader ids) {}

    public VerifyEndpoint(Parts parts, ObjectMapper mapper) {
        super(parts.decoder()::decode, parts.runner(), parts.peek(), parts.ids(), mapper);
    }
}
