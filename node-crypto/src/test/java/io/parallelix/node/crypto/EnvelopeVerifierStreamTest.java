package io.parallelix.node.crypto;

import static io.parallelix.node.crypto.StreamFixture.bytes;
import static io.parallelix.node.crypto.StreamFixture.concat;
import static io.parallelix.node.crypto.StreamFixture.replace;
import static io.parallelix.node.crypto.StreamFixture.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.parallelix.node.crypto.Verdict.Check;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link EnvelopeVerifier#verifyStream}: a signed stream, and each way it can be wrong. */
class EnvelopeVerifierStreamTest {
    private static final String ID = "req_01J9ZS";

    private final NodeKey key = TestKeys.rsa2048();
    private final EnvelopeVerifier verifier = new EnvelopeVerifier(CryptoProvider.JDK);
    private final byte[] events = StreamFixture.completion();

    private byte[] stream(SigAlg alg) {
        return StreamFixture.signed(key, alg, ID, events);
    }

    private @Nullable Check check(byte[] raw) {
        return verifier.verifyStream(raw, key.publicKey()).failed();
    }

    private StreamTrailer trailer(byte[] raw) {
        return ((SignedStream.Framed) SignedStream.read(raw)).trailer();
    }

    @ParameterizedTest
    @EnumSource(SigAlg.class)
    void verifyStream_untouched_isValidWithBothProviders(SigAlg alg) {
        byte[] raw = stream(alg);
        assertThat(verifier.verifyStream(raw, key.publicKey())).isEqualTo(Verdict.ok());
        assertThat(new EnvelopeVerifier(CryptoProvider.ACCP).verifyStream(raw, key.publicKey()))
                .isEqualTo(Verdict.ok());
        assertThat(verifier.verifyStream(raw, ID, key.publicKey())).isEqualTo(Verdict.ok());
    }

    @Test
    void verifyStream_emptyResult_isValid() {
        assertThat(check(StreamFixture.signed(key, SigAlg.PS256, ID, new byte[0])))
                .isNull();
    }

    @Test
    void verifyStream_theSignedResultIsEveryByteBeforeTheTrailer() {
        byte[] raw = stream(SigAlg.RS256);
        StreamTrailer t = trailer(raw);
        byte[] poe = ProofOfExecution.v1(ID, events, key.nodeId());
        assertThat(t.poe()).isEqualTo(HexFormat.of().formatHex(poe));
        assertThat(verifier.verify(
                        ID, events, t.nodeId(), poe, Base64.getDecoder().decode(t.sig()), "RS256", key.publicKey()))
                .isEqualTo(Verdict.ok());
    }

    @Test
    void verifyStream_eachTamper_failsItsCheck() {
        byte[] raw = stream(SigAlg.PS256);
        StreamTrailer t = trailer(raw);
        String s = text(raw);
        // the result
        byte[] flipped = raw.clone();
        flipped[10] ^= 1;
        assertThat(check(flipped)).isEqualTo(Check.POE);
        assertThat(check(replace(raw, "Hello", "Hallo"))).isEqualTo(Check.POE);
        assertThat(check(bytes(s.substring(s.indexOf("data: ", 1))))).isEqualTo(Check.POE); // first event dropped
        // the trailer's fields
        assertThat(check(replace(raw, t.poe(), flipHex(t.poe())))).isEqualTo(Check.POE);
        assertThat(check(replace(raw, t.poe(), t.poe().toUpperCase(java.util.Locale.ROOT))))
                .isEqualTo(Check.POE);
        assertThat(check(replace(raw, t.poe(), t.poe().substring(2)))).isEqualTo(Check.POE);
        String nodeId = key.nodeId().hex();
        assertThat(check(replace(raw, nodeId, nodeId.toUpperCase(java.util.Locale.ROOT))))
                .isEqualTo(Check.NODE_ID); // the same bytes, but not the wire's spelling
        assertThat(check(replace(raw, "\"poe_version\":1", "\"poe_version\":2")))
                .isEqualTo(Check.POE);
        assertThat(check(replace(raw, t.sig(), flipB64(t.sig())))).isEqualTo(Check.SIGNATURE);
        assertThat(check(replace(raw, t.sig(), t.sig().replace("=", ""))))
                .isIn(Check.SIGNATURE); // unpadded: not canonical
        assertThat(check(replace(raw, t.sig(), "!" + t.sig().substring(1)))).isEqualTo(Check.SIGNATURE);
        assertThat(check(replace(raw, ID, "req_01J9ZT"))).isEqualTo(Check.POE);
        assertThat(check(replace(raw, ID, "req 01J9ZS"))).isEqualTo(Check.REQUEST_ID);
        assertThat(check(replace(raw, "\"request_id\":\"" + ID, "\"request_id\":\"")))
                .isEqualTo(Check.REQUEST_ID);
        assertThat(check(replace(raw, "\"PS256\"", "\"ES256\""))).isEqualTo(Check.SIG_ALG);
        assertThat(check(replace(raw, "\"PS256\"", "\"RS256\""))).isEqualTo(Check.SIGNATURE);
        assertThat(check(replace(raw, t.nodeId(), TestKeys.other2048().nodeId().hex())))
                .isEqualTo(Check.NODE_ID);
        assertThat(check(replace(raw, t.nodeId(), "zz"))).isEqualTo(Check.NODE_ID);
        // unsigned: the result format and meta change nothing
        assertThat(check(replace(raw, StreamFixture.FORMAT, "other"))).isNull();
        assertThat(check(replace(raw, "\"total\":12", "\"total\":13"))).isNull();
    }

    @Test
    void verifyStream_framingDefects_failStream() {
        byte[] raw = stream(SigAlg.PS256);
        String s = text(raw);
        assertThat(check(events)).isEqualTo(Check.STREAM); // never signed
        assertThat(check(bytes(s + "data: {}\n\n"))).isEqualTo(Check.STREAM); // an event after the trailer
        assertThat(check(bytes(s.replace("data: [DONE]\n\n", "")))).isEqualTo(Check.STREAM);
        assertThat(check(bytes(s.replace("\n", "\r\n")))).isEqualTo(Check.STREAM);
        assertThat(check(bytes(s.replace(SignedStream.END, "\r\n\r\ndata: [DONE]\r\n\r\n"))))
                .isEqualTo(Check.STREAM);
        assertThat(check(concat(raw, raw))).isEqualTo(Check.STREAM); // two trailers
        byte[] errorEnd = concat(
                events,
                bytes("data: {\"error\":{\"message\":\"engine failed\",\"code\":\"model_failed\"}}\n\n"),
                bytes("data: [DONE]\n\n"));
        Verdict v = verifier.verifyStream(errorEnd, key.publicKey());
        assertThat(v.failed()).isEqualTo(Check.STREAM);
        assertThat(v.detail()).startsWith("no trailer");
    }

    @Test
    void verifyStream_everyTruncation_failsWithoutThrowing() {
        byte[] raw = stream(SigAlg.RS256);
        for (int n = 0; n < raw.length; n++) {
            Verdict v = verifier.verifyStream(Arrays.copyOf(raw, n), key.publicKey());
            assertThat(v.failed()).as("first %d bytes", n).isEqualTo(Check.STREAM);
        }
    }

    @Test
    void verifyStream_anotherKey_failsNodeId() {
        assertThat(verifier.verifyStream(
                                stream(SigAlg.PS256), TestKeys.rsa3072().publicKey())
                        .failed())
                .isEqualTo(Check.NODE_ID);
    }

    @Test
    void verifyStream_anotherAllocatedId_failsRequestIdNamingBoth() {
        Verdict v = verifier.verifyStream(stream(SigAlg.PS256), "req_mine", key.publicKey());
        assertThat(v.failed()).isEqualTo(Check.REQUEST_ID);
        assertThat(v.detail()).isEqualTo("request_id \"" + ID + "\" is not the allocated id \"req_mine\"");
    }

    @Test
    void verifyStream_severalDefects_reportsTheFirstInCheckOrder() {
        byte[] raw = stream(SigAlg.PS256);
        StreamTrailer t = trailer(raw);
        byte[] both = replace(replace(raw, t.sig(), "x"), t.poe(), flipHex(t.poe()));
        assertThat(check(both)).isEqualTo(Check.POE);
        assertThat(check(replace(both, "\"PS256\"", "\"X\""))).isEqualTo(Check.SIG_ALG);
        assertThat(check(replace(replace(both, "\"PS256\"", "\"X\""), ID, "bad id")))
                .isEqualTo(Check.REQUEST_ID);
    }

    /** Fixed seeds, so a failure repeats; the last found an uppercase node_id digit passing. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 17, 4242, -7749369527069684768L})
    void verifyStream_seededRandomMutations_neverThrowAndNeverPass(long seed) {
        Random random = new Random(seed);
        byte[] raw = stream(SigAlg.PS256);
        String text = text(raw);
        int formatAt = text.indexOf(StreamFixture.FORMAT);
        int metaAt = text.indexOf(StreamFixture.META);
        for (int i = 0; i < 500; i++) {
            byte[] m = raw.clone();
            int at = random.nextInt(m.length);
            if ((at >= formatAt && at < formatAt + StreamFixture.FORMAT.length())
                    || (at >= metaAt && at < metaAt + StreamFixture.META.length())) {
                continue; // unsigned: may change without failing
            }
            m[at] ^= (byte) (1 + random.nextInt(255));
            if (random.nextBoolean()) {
                m = concat(m, bytes(random.nextBoolean() ? "\n" : "data: x\n\n"));
            }
            Verdict v = verifier.verifyStream(m, key.publicKey());
            assertThat(v.valid()).as("seed %d, byte %d", seed, at).isFalse();
        }
    }

    private static String flipHex(String hex) {
        byte[] b = HexFormat.of().parseHex(hex);
        b[0] ^= 1;
        return HexFormat.of().formatHex(b);
    }

    private static String flipB64(String b64) {
        byte[] b = Base64.getDecoder().decode(b64);
        b[5] ^= 1;
        return Base64.getEncoder().encodeToString(b);
    }
}
