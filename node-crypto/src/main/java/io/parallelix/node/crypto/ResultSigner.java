package io.parallelix.node.crypto;

import io.parallelix.node.crypto.KeyException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/**
 * The node side of PoE: computes poe, signs result || poe, verifies its own signature before
 * returning it (fault guard) unless the provider already checks every private-key result itself
 * (ACCP: JcaProvider.checksItsOwnSignatures; the second check cost ~50 µs a signature, 4-5 % of a
 * tiny model's request). Thread-safe: a fresh {@code Signature} per call, nothing shared.
 *
 * <p>A fresh {@code Signature} per call, no per-thread state: CryptoBenchmark measured a cached
 * per-thread {@code Signature} no faster than a fresh one once the keys are converted into the
 * provider's own key objects at construction (RSA-3072, one thread: JDK about 330/s either way; ACCP
 * about 1,400/s either way, but about 630/s when handed a JDK key on every initSign).
 */
public final class ResultSigner {
    /** Domain separation for registration challenges: ASCII, ending in one NUL byte. */
    public static final String CHALLENGE_CONTEXT = "pxnode-challenge-v1\0";

    /**
     * Registration challenge nonce length bounds, inclusive: enough bytes for a random nonce not to
     * repeat, few enough that a caller cannot make the node hash megabytes. Code that accepts a
     * nonce checks it against these constants (EnvelopeVerifier does), not against copies.
     */
    public static final int MIN_NONCE_BYTES = 16;

    public static final int MAX_NONCE_BYTES = 1024;

    private static final byte[] CONTEXT_BYTES = CHALLENGE_CONTEXT.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STARTUP_CHECK = "pxnode signer check".getBytes(StandardCharsets.US_ASCII);

    private final NodeKey key;
    private final SigAlg sigAlg;
    private final JcaProvider jca;
    private final PrivateKey signingKey;
    private final PublicKey checkingKey;

    /**
     * Throws IllegalStateException when the provider cannot load (ACCP missing: the message says to
     * set crypto_provider: jdk), KeyException UNSUPPORTED when it cannot sign with this key.
     */
    public ResultSigner(NodeKey key, SigAlg sigAlg, CryptoProvider provider) throws KeyException {
        this(key, sigAlg, JcaProvider.resolve(provider));
    }

    ResultSigner(NodeKey key, SigAlg sigAlg, JcaProvider jca) throws KeyException {
        this.key = key;
        this.sigAlg = sigAlg;
        this.jca = jca;
        try {
            this.signingKey = jca.translate(key.privateKey(), PrivateKey.class);
            this.checkingKey = jca.translate(key.publicKey(), PublicKey.class);
        } catch (InvalidKeyException | ClassCastException e) {
            throw new KeyException(
                    Reason.UNSUPPORTED,
                    jca.description() + " cannot use this RSA key: "
                            + e.getClass().getName(),
                    e);
        }
        try {
            signChecked(true, STARTUP_CHECK); // every provider's first signature is checked here
        } catch (IllegalStateException e) {
            throw new KeyException(
                    Reason.UNSUPPORTED,
                    providerDescription() + " cannot make " + sigAlg.wireName() + " signatures with this key",
                    e);
        }
    }

    /**
     * A v1 commitment ({@link PoeVersion#DEFAULT}). Throws IllegalArgumentException for an invalid
     * request id (see {@link RequestIds}).
     */
    public SignedResult sign(String requestId, byte[] result) {
        return sign(requestId, result, PoeVersion.DEFAULT);
    }

    /** With the PoE layout the request asked for; the signature is over result || poe either way. */
    public SignedResult sign(String requestId, byte[] result, PoeVersion version) {
        RequestIds.requireValid(requestId);
        byte[] poe = ProofOfExecution.of(jca.sha256(), version, requestId, result, key.nodeId());
        byte[] sig = signChecked(!jca.checksItsOwnSignatures(), result, poe);
        return new SignedResult(requestId, key.nodeId(), poe, sig, sigAlg, version);
    }

    /**
     * Registration proof: signs CHALLENGE_CONTEXT || nonce || node_id (domain-separated from
     * result signatures). Throws IllegalArgumentException unless the nonce is {@link
     * #MIN_NONCE_BYTES} to {@link #MAX_NONCE_BYTES} bytes long.
     */
    public byte[] signChallenge(byte[] nonce) {
        requireNonceLength(nonce.length);
        return signChecked(
                !jca.checksItsOwnSignatures(),
                CONTEXT_BYTES,
                nonce,
                key.nodeId().bytes());
    }

    public NodeId nodeId() {
        return key.nodeId();
    }

    public SigAlg sigAlg() {
        return sigAlg;
    }

    /** e.g. "SunRsaSign" or "AmazonCorrettoCryptoProvider 2.5.0", for the runtime fingerprint. */
    public String providerDescription() {
        return jca.description();
    }

    static void requireNonceLength(int length) {
        if (length < MIN_NONCE_BYTES || length > MAX_NONCE_BYTES) {
            throw new IllegalArgumentException("challenge nonce is " + length + " bytes; it must be " + MIN_NONCE_BYTES
                    + "-" + MAX_NONCE_BYTES + " bytes");
        }
    }

    static byte[] challengeContext() {
        return CONTEXT_BYTES.clone();
    }

    /** Signs the concatenation of parts (fed one by one, never copied together), then verifies it if asked. */
    private byte[] signChecked(boolean verify, byte[]... parts) {
        byte[] sig;
        boolean verified;
        try {
            Signature signer = jca.signature(sigAlg);
            signer.initSign(signingKey);
            for (byte[] part : parts) {
                signer.update(part);
            }
            sig = signer.sign();
            if (!verify) {
                return sig;
            }
            Signature verifier = jca.signature(sigAlg);
            verifier.initVerify(checkingKey);
            for (byte[] part : parts) {
                verifier.update(part);
            }
            verified = verifier.verify(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    sigAlg.wireName() + " signing failed in " + providerDescription() + ": " + e, e);
        }
        if (!verified) {
            // A fault (hardware, provider bug) can leak the key through a bad RSA-CRT signature:
            // never let one out.
            throw new IllegalStateException(sigAlg.wireName() + " signature from " + providerDescription()
                    + " failed its own verification; refusing to return it");
        }
        return sig;
    }
}
