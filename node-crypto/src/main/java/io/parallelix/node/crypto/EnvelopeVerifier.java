package io.parallelix.node.crypto;

import io.parallelix.node.crypto.Presented.Field;
import io.parallelix.node.crypto.Verdict.Check;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The coordinator's side: checks node_id against the key, recomputes the PoE and compares it in
 * constant time, then verifies the signature. Stateless and thread-safe.
 *
 * <p>Never throws for bad input: every malformed or tampered field becomes a {@link Verdict} naming
 * the first failed check, in the order of {@link Check}. Details never echo more than a short,
 * printable prefix of received text.
 */
public final class EnvelopeVerifier {
    private final JcaProvider jca;

    /** Throws IllegalStateException when the provider cannot load (the message says how to fix it). */
    public EnvelopeVerifier(CryptoProvider provider) {
        this(JcaProvider.resolve(provider));
    }

    EnvelopeVerifier(JcaProvider jca) {
        this.jca = jca;
    }

    /** A v1 commitment: nodeIdHex, poe and sig are as received; sigAlg is the wire name. */
    public Verdict verify(
            String requestId,
            byte[] result,
            String nodeIdHex,
            byte[] poe,
            byte[] sig,
            String sigAlg,
            RSAPublicKey key) {
        return verify(requestId, result, nodeIdHex, PoeVersion.V1.number(), poe, sig, sigAlg, key);
    }

    /**
     * As {@link #verify(String, byte[], String, byte[], byte[], String, RSAPublicKey)} with the
     * envelope's {@code poe_version}: the layout poe is recomputed with; a version this verifier
     * does not know fails the POE check.
     */
    public Verdict verify(
            String requestId,
            byte[] result,
            String nodeIdHex,
            long poeVersion,
            byte[] poe,
            byte[] sig,
            String sigAlg,
            RSAPublicKey key) {
        return check(
                result,
                envelopeFields(requestId, nodeIdHex, poeVersion, Presented.present(poe), sig, sigAlg),
                null,
                key);
    }

    /**
     * Checks an answer whose body is the result and whose PoE came in the {@link SignedHeaders}
     * (names in any case, as {@link SignedHeaders#parse} or an HTTP client gives them). Same checks
     * and order as {@link #verify}; a missing or repeated header fails the check it belongs to,
     * and Pxnode-Poe-Version must be 1 (POE). The signature must be canonical base64.
     */
    public Verdict verifyHeaders(byte[] body, Map<String, List<String>> headers, RSAPublicKey key) {
        return check(body, HeaderFields.of(headers), null, key);
    }

    /**
     * As {@link #verifyHeaders(byte[], Map, RSAPublicKey)}, and the answer's request id must be
     * {@code allocated}, the id the coordinator sent (REQUEST_ID): without it any valid id passes,
     * which proves the binding but not that the answer is for this request.
     */
    public Verdict verifyHeaders(byte[] body, Map<String, List<String>> headers, String allocated, RSAPublicKey key) {
        return check(body, HeaderFields.of(headers), allocated, key);
    }

    /**
     * Checks a streamed answer as received, every byte of the body ({@link SignedStream}): its
     * framing first (STREAM), then the same checks and order as {@link #verify} with the fields of
     * the trailer; the result is every byte before the trailer line.
     */
    public Verdict verifyStream(byte[] raw, RSAPublicKey key) {
        return checkStream(raw, null, key);
    }

    /** As {@link #verifyStream(byte[], RSAPublicKey)}, and the request id must be {@code allocated}. */
    public Verdict verifyStream(byte[] raw, String allocated, RSAPublicKey key) {
        return checkStream(raw, allocated, key);
    }

    private Verdict checkStream(byte[] raw, @Nullable String allocated, RSAPublicKey key) {
        SignedStream.Read read = SignedStream.read(raw);
        if (read instanceof SignedStream.Malformed m) {
            return Verdict.fail(Check.STREAM, m.detail());
        }
        SignedStream.Framed framed = (SignedStream.Framed) read;
        return check(framed.result(), framed.trailer().presented(), allocated, key);
    }

    /** The checks, in their order, whatever carried the fields; a field's problem fails its check. */
    private Verdict check(byte[] result, Presented fields, @Nullable String allocated, RSAPublicKey key) {
        if (fields.requestId() instanceof Field.Problem<String> p) {
            return Verdict.fail(Check.REQUEST_ID, p.detail());
        }
        String requestId = value(fields.requestId());
        String badId = RequestIds.problem(requestId);
        if (badId == null && allocated != null && !requestId.equals(allocated)) {
            badId = "request_id \"" + Printable.truncate(requestId) + "\" is not the allocated id \""
                    + Printable.truncate(allocated) + "\"";
        }
        if (badId != null) {
            return Verdict.fail(Check.REQUEST_ID, badId);
        }
        if (fields.sigAlg() instanceof Field.Problem<String> p) {
            return Verdict.fail(Check.SIG_ALG, p.detail());
        }
        if (fields.nodeIdHex() instanceof Field.Problem<String> p) {
            return Verdict.fail(Check.NODE_ID, p.detail());
        }
        Claim claim = claim(value(fields.sigAlg()), value(fields.nodeIdHex()), key);
        if (claim instanceof Claim.Refused refused) {
            return refused.verdict();
        }
        Claim.Holds signer = (Claim.Holds) claim;
        if (fields.poeVersion() instanceof Field.Problem<PoeVersion> p) {
            return Verdict.fail(Check.POE, p.detail());
        }
        if (fields.poe() instanceof Field.Problem<byte[]> p) {
            return Verdict.fail(Check.POE, p.detail());
        }
        byte[] poe = value(fields.poe());
        Verdict poeCheck = checkPoe(value(fields.poeVersion()), requestId, result, signer.nodeId(), poe);
        if (!poeCheck.valid()) {
            return poeCheck;
        }
        if (fields.sig() instanceof Field.Problem<byte[]> p) {
            return Verdict.fail(Check.SIGNATURE, p.detail());
        }
        return checkSignature(signer.alg(), key, value(fields.sig()), result, poe);
    }

    private static <T> T value(Field<T> field) {
        return ((Field.Present<T>) field).value();
    }

    private Verdict checkPoe(PoeVersion version, String requestId, byte[] result, NodeId nodeId, byte[] poe) {
        if (poe.length != ProofOfExecution.LENGTH) {
            return Verdict.fail(
                    Check.POE,
                    "poe is " + poe.length + " bytes; a v" + version.number() + " poe is " + ProofOfExecution.LENGTH
                            + " bytes");
        }
        byte[] expected = ProofOfExecution.of(jca.sha256(), version, requestId, result, nodeId);
        if (!MessageDigest.isEqual(expected, poe)) {
            return Verdict.fail(Check.POE, "poe does not equal " + ProofOfExecution.formula(version));
        }
        return Verdict.ok();
    }

    /**
     * As {@link #verify(String, byte[], String, byte[], byte[], String, RSAPublicKey)}, with poe as
     * the wire carries it (lowercase hex, in the envelope's {@code poe} or the {@code Pxnode-Poe}
     * header); text that is not lowercase hex fails the POE check.
     */
    public Verdict verifyHexPoe(
            String requestId,
            byte[] result,
            String nodeIdHex,
            String poeHex,
            byte[] sig,
            String sigAlg,
            RSAPublicKey key) {
        byte[] poe = WireHex.parse(poeHex);
        if (poe == null) {
            return Verdict.fail(Check.POE, "poe is not lowercase hex");
        }
        return verify(requestId, result, nodeIdHex, poe, sig, sigAlg, key);
    }

    /**
     * As {@link #verifyHexPoe(String, byte[], String, String, byte[], String, RSAPublicKey)} with the
     * envelope's {@code poe_version} (an unknown one, then text that is not lowercase hex, fail POE).
     */
    public Verdict verifyHexPoe(
            String requestId,
            byte[] result,
            String nodeIdHex,
            long poeVersion,
            String poeHex,
            byte[] sig,
            String sigAlg,
            RSAPublicKey key) {
        byte[] bytes = WireHex.parse(poeHex);
        Field<byte[]> poe = bytes == null ? Presented.problem("poe is not lowercase hex") : Presented.present(bytes);
        return check(result, envelopeFields(requestId, nodeIdHex, poeVersion, poe, sig, sigAlg), null, key);
    }

    private static Presented envelopeFields(
            String requestId, String nodeIdHex, long poeVersion, Field<byte[]> poe, byte[] sig, String sigAlg) {
        return new Presented(
                Presented.present(requestId),
                Presented.present(sigAlg),
                Presented.present(nodeIdHex),
                PoeVersion.of(poeVersion)
                        .<Field<PoeVersion>>map(Presented::present)
                        .orElseGet(() -> Presented.problem(
                                "poe_version is " + poeVersion + "; this verifier knows " + PoeVersion.known())),
                poe,
                Presented.present(sig));
    }

    /** Checks a registration proof: sig over CHALLENGE_CONTEXT || nonce || node_id. */
    public Verdict verifyChallenge(byte[] nonce, String nodeIdHex, byte[] sig, String sigAlg, RSAPublicKey key) {
        Claim claim = claim(sigAlg, nodeIdHex, key);
        if (claim instanceof Claim.Refused refused) {
            return refused.verdict();
        }
        Claim.Holds signer = (Claim.Holds) claim;
        try {
            ResultSigner.requireNonceLength(nonce.length);
        } catch (IllegalArgumentException e) {
            // The signer refuses such nonces, so no valid signature over one can exist.
            return Verdict.fail(Check.SIGNATURE, String.valueOf(e.getMessage()));
        }
        return checkSignature(
                signer.alg(),
                key,
                sig,
                ResultSigner.challengeContext(),
                nonce,
                signer.nodeId().bytes());
    }

    /** What the sender claims: a known sig_alg, and a node_id that is the hash of this key. */
    private sealed interface Claim {
        record Holds(SigAlg alg, NodeId nodeId) implements Claim {}

        record Refused(Verdict verdict) implements Claim {}
    }

    private static Claim claim(String sigAlg, String nodeIdHex, RSAPublicKey key) {
        Optional<SigAlg> alg = SigAlg.fromWireName(sigAlg);
        if (alg.isEmpty()) {
            return new Claim.Refused(unknownAlg(sigAlg));
        }
        Optional<NodeId> nodeId = NodeId.tryFromHex(nodeIdHex);
        if (nodeId.isEmpty()) {
            return new Claim.Refused(notHex(nodeIdHex));
        }
        Verdict keyMatch = matchesKey(nodeId.get(), key);
        return keyMatch.valid() ? new Claim.Holds(alg.get(), nodeId.get()) : new Claim.Refused(keyMatch);
    }

    private static Verdict unknownAlg(String sigAlg) {
        return Verdict.fail(
                Check.SIG_ALG, "unknown sig_alg \"" + Printable.truncate(sigAlg) + "\"; expected PS256 or RS256");
    }

    private static Verdict notHex(String nodeIdHex) {
        return Verdict.fail(
                Check.NODE_ID,
                "node_id is not 64 lowercase hex digits (" + nodeIdHex.length() + " characters: \""
                        + Printable.truncate(nodeIdHex) + "\")");
    }

    private static Verdict matchesKey(NodeId claimed, RSAPublicKey key) {
        NodeId actual;
        try {
            actual = NodeId.of(key);
        } catch (IllegalArgumentException e) {
            return Verdict.fail(Check.NODE_ID, "the public key has no SubjectPublicKeyInfo encoding");
        }
        if (!claimed.equals(actual)) { // constant time
            return Verdict.fail(
                    Check.NODE_ID,
                    "node_id " + claimed.hex() + " is not SHA-256 of this public key (" + actual.hex() + ")");
        }
        return Verdict.ok();
    }

    /** Verifies sig over the concatenation of parts, fed one by one. */
    private Verdict checkSignature(SigAlg alg, RSAPublicKey key, byte[] sig, byte[]... parts) {
        int bits = key.getModulus().bitLength();
        if (bits < NodeKey.MIN_BITS) {
            return Verdict.fail(
                    Check.SIGNATURE,
                    "the public key is " + bits + " bits; signatures from keys under " + NodeKey.MIN_BITS
                            + " bits are not accepted");
        }
        int expectedLength = (bits + 7) / 8;
        if (sig.length != expectedLength) {
            return Verdict.fail(
                    Check.SIGNATURE,
                    "signature is " + sig.length + " bytes; a " + bits + "-bit key makes " + expectedLength
                            + "-byte signatures");
        }
        try {
            Signature verifier = jca.signature(alg);
            verifier.initVerify(key);
            for (byte[] part : parts) {
                verifier.update(part);
            }
            if (verifier.verify(sig)) {
                return Verdict.ok();
            }
            return Verdict.fail(Check.SIGNATURE, "signature does not verify as " + alg.wireName() + " under this key");
        } catch (InvalidKeyException e) {
            return Verdict.fail(Check.SIGNATURE, "the public key cannot verify " + alg.wireName() + ": " + e);
        } catch (SignatureException e) {
            return Verdict.fail(Check.SIGNATURE, "signature is malformed for " + alg.wireName() + ": " + e);
        } catch (GeneralSecurityException e) {
            return Verdict.fail(Check.SIGNATURE, "cannot verify " + alg.wireName() + ": " + e);
        }
    }
}
