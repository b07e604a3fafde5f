package io.parallelix.node.daemon.protocol;

import io.parallelix.node.crypto.PoeVersion;
import org.jspecify.annotations.Nullable;

/**
 * A request of one kind of task after its decoder ran: immutable and well-formed, not yet
 * checked against a model. Every kind is a record implementing this; the service reads only
 * these facts of it, its runner the rest.
 */
public interface Task {
    /** The coordinator's id, bound into the PoE; already checked against the request-id rules. */
    String requestId();

    /** The client's pin of the model's sha256, if it sent one. */
    @Nullable
    String modelSha256();

    /** The PoE layout the body asks for (OIP {@code parameters.poe_version}), or null when it does not ask. */
    default @Nullable PoeVersion poeVersion() {
        return null;
    }
}
