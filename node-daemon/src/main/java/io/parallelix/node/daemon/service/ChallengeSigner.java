package io.parallelix.node.daemon.service;

import io.parallelix.node.crypto.ResultSigner;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.protocol.Challenge;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;

/**
 * Proves possession of the node's key for a coordinator's nonce. An RSA signature costs
 * milliseconds, so it runs on the workers, never on an event loop, and only a few at a time: a
 * flood of challenges is refused with 503 instead of taking every worker or the liveness probes.
 */
public final class ChallengeSigner {
    private final ResultSigner signer;
    private final Executor workers;
    private final Semaphore slots;

    public ChallengeSigner(ResultSigner signer, Executor workers, int maxInFlight) {
        this.signer = signer;
        this.workers = workers;
        this.slots = new Semaphore(maxInFlight);
    }

    /** Checks the nonce at once (400), takes a slot or refuses (503), then signs on a worker. */
    public CompletableFuture<Challenge.Response> sign(Challenge.Request request) {
        byte[] nonce = nonce(request.nonce());
        if (!slots.tryAcquire()) {
            throw new ApiException.Overloaded("too many challenges in progress; try again shortly", 1);
        }
        CompletableFuture<Challenge.Response> answer = new CompletableFuture<>();
        try {
            workers.execute(() -> {
                try {
                    byte[] sig = signer.signChallenge(nonce);
                    answer.complete(new Challenge.Response(
                            signer.nodeId().hex(),
                            HexFormat.of().formatHex(nonce),
                            sig,
                            signer.sigAlg().wireName()));
                } catch (RuntimeException e) {
                    answer.completeExceptionally(new ApiException.Internal("internal_error", "internal error", e));
                } finally {
                    slots.release();
                }
            });
        } catch (RuntimeException e) { // the workers' queue has room for these slots; stay safe
            slots.release();
            throw new ApiException.Overloaded("worker queue full", 1);
        }
        return answer;
    }

    private static byte[] nonce(String hex) {
        byte[] nonce;
        try {
            nonce = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new ApiException.BadRequest("nonce", "must be hex");
        }
        if (nonce.length < ResultSigner.MIN_NONCE_BYTES || nonce.length > ResultSigner.MAX_NONCE_BYTES) {
            throw new ApiException.BadRequest(
                    "nonce",
                    "must be " + ResultSigner.MIN_NONCE_BYTES + " to " + ResultSigner.MAX_NONCE_BYTES + " bytes, got "
                            + nonce.length);
        }
        return nonce;
    }
}
