package io.parallelix.node.daemon.service;

import io.parallelix.node.daemon.error.ApiException;

/** Set once by the transport when the client went away; read by the service and runners. */
public final class Cancellation {
    private volatile boolean cancelled;

    public void cancel() {
        cancelled = true;
    }

    public boolean cancelled() {
        return cancelled;
    }

    /** Ends the task at the next step once the client is gone. */
    public void throwIfCancelled() {
        if (cancelled) {
            throw new ApiException.ClientClosed("the client closed the connection");
        }
    }
}
