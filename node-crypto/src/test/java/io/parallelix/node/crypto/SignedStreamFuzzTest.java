package io.parallelix.node.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz test of the stream reader and verifier (Jazzer): any bytes give a verdict, never an
 * exception, and a valid one only for a stream the test key signed. A normal build replays the
 * committed inputs in {@code SignedStreamFuzzTestInputs/<method>/} (streams of
 * docs/test-vectors/openai-stream-v1.json); {@code scripts/fuzz.sh SignedStream} fuzzes for real.
 */
class SignedStreamFuzzTest {
    private final EnvelopeVerifier verifier = new EnvelopeVerifier(CryptoProvider.JDK);

    @FuzzTest(maxDuration = "60s")
    void verifyStream_anyBytes_aVerdictNeverAnException(byte[] raw) {
        Verdict v = verifier.verifyStream(raw, TestKeys.rsa3072().publicKey());
        SignedStream.Read read = SignedStream.read(raw);
        assertThat(read).isNotNull();
        if (v.valid()) {
            // only the unsigned result_format and meta may differ from what the key signed
            SignedStream.Framed f = (SignedStream.Framed) read;
            byte[] poe = ProofOfExecution.v1(
                    f.trailer().requestId(), f.result(), TestKeys.rsa3072().nodeId());
            assertThat(f.trailer().poe()).isEqualTo(java.util.HexFormat.of().formatHex(poe));
        } else {
            assertThat(v.failed()).isNotNull();
        }
    }
}
