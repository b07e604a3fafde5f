package io.parallelix.node.daemon.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.crypto.CryptoProvider;
import io.parallelix.node.crypto.EnvelopeVerifier;
import io.parallelix.node.crypto.NodeKey;
import io.parallelix.node.crypto.ResultSigner;
import io.parallelix.node.crypto.SigAlg;
import io.parallelix.node.daemon.TestNode;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.protocol.Challenge;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Challenges are signed on the workers, a bounded number at once; bad nonces are 400 at once. */
class ChallengeSignerTest {
    private static NodeKey key;
    private static ResultSigner signer;
    private final ArrayDeque<Runnable> queued = new ArrayDeque<>();

    @BeforeAll
    static void keys() throws Exception {
        key = TestNode.newKey();
        signer = new ResultSigner(key, SigAlg.PS256, CryptoProvider.JDK);
    }

    private static Challenge.Request nonce(int bytes) {
        return new Challenge.Request("ab".repeat(bytes));
    }

    @Test
    void sign_runsOnAWorker_andVerifies() {
        ChallengeSigner s = new ChallengeSigner(signer, queued::add, 2);
        CompletableFuture<Challenge.Response> f = s.sign(nonce(16));
        assertThat(f).as("nothing is signed on the caller's thread").isNotDone();
        queued.poll().run();
        Challenge.Response r = f.join();
        assertThat(r.nodeId()).isEqualTo(key.nodeId().hex());
        assertThat(new EnvelopeVerifier(CryptoProvider.JDK)
                        .verifyChallenge(
                                HexFormat.of().parseHex(r.nonce()), r.nodeId(), r.sig(), r.sigAlg(), key.publicKey())
                        .valid())
                .isTrue();
    }

    @Test
    void sign_pastTheBound_isOverloadedAtOnce_untilASlotFrees() {
        ChallengeSigner s = new ChallengeSigner(signer, queued::add, 2);
        s.sign(nonce(16));
        s.sign(nonce(16));
        assertThatThrownBy(() -> s.sign(nonce(16))).isInstanceOf(ApiException.Overloaded.class);
        queued.poll().run();
        assertThat(s.sign(nonce(16))).isNotNull();
    }

    @Test
    void sign_badNonce_isBadRequestNamingTheBounds() {
        ChallengeSigner s = new ChallengeSigner(signer, queued::add, 2);
        assertThatThrownBy(() -> s.sign(new Challenge.Request("zz")))
                .isInstanceOf(ApiException.BadRequest.class)
                .hasMessageContaining("hex");
        assertThatThrownBy(() -> s.sign(nonce(15)))
                .isInstanceOf(ApiException.BadRequest.class)
                .hasMessageContaining("16 to 1024");
        assertThatThrownBy(() -> s.sign(nonce(1025))).isInstanceOf(ApiException.BadRequest.class);
        assertThat(queued).isEmpty();
    }
}
