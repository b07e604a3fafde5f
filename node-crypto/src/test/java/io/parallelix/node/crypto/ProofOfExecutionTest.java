package io.parallelix.node.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProofOfExecutionTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String GOLDEN_HELLO = "d3fc466c035ede14f4b9bd0499d69c9ebb1f08b506f6b92712026159349c73ec";

    @Test
    void v1_selfTestVector_matchesPycaKnownAnswer() {
        byte[] poe = ProofOfExecution.v1(
                CryptoSelfTest.REQUEST_ID,
                CryptoSelfTest.RESULT,
                TestKeys.rsa2048().nodeId());
        assertThat(HEX.formatHex(poe)).isEqualTo(CryptoSelfTest.POE);
    }

    @Test
    void v1_fixedNodeId_isPlainSha256OfTheConcatenation() {
        // Golden bytes: sha256(b"req_a3f1" + b"hello" + bytes(range(32))) computed by hashlib.
        NodeId nodeId = NodeId.fromHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        byte[] poe = ProofOfExecution.v1("req_a3f1", "hello".getBytes(StandardCharsets.US_ASCII), nodeId);
        assertThat(HEX.formatHex(poe)).isEqualTo(GOLDEN_HELLO);
        assertThat(poe).hasSize(ProofOfExecution.LENGTH);
    }

    @Test
    void v1_seededRandomInputs_equalManualConcatenation() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 200; i++) {
            byte[] result = new byte[random.nextInt(4096)];
            random.nextBytes(result);
            byte[] id = new byte[32];
            random.nextBytes(id);
            String requestId = "req_" + Long.toHexString(random.nextLong());
            NodeId nodeId = NodeId.fromHex(HEX.formatHex(id));
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(requestId.getBytes(StandardCharsets.UTF_8));
            sha.update(result);
            sha.update(id);
            assertThat(ProofOfExecution.v1(requestId, result, nodeId))
                    .as("seed %d, iteration %d", seed, i)
                    .isEqualTo(sha.digest());
        }
    }

    @Test
    void v1_boundaryAmbiguity_isRealAndDocumented() {
        // docs/protocol.md "Request ids": no framing, so these two commitments are equal.
        NodeId nodeId = TestKeys.rsa2048().nodeId();
        byte[] a = ProofOfExecution.v1("req_a", "1234".getBytes(StandardCharsets.US_ASCII), nodeId);
        byte[] b = ProofOfExecution.v1("req_a1", "234".getBytes(StandardCharsets.US_ASCII), nodeId);
        assertThat(a).isEqualTo(b);
    }

    @Test
    void v1_otherNode_givesOtherPoe() {
        byte[] result = "r".getBytes(StandardCharsets.US_ASCII);
        assertThat(ProofOfExecution.v1("req_1", result, TestKeys.rsa2048().nodeId()))
                .isNotEqualTo(ProofOfExecution.v1(
                        "req_1", result, TestKeys.other2048().nodeId()));
    }
}
