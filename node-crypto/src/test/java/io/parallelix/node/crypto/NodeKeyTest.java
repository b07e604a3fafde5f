package io.parallelix.node.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.crypto.KeyException.Reason;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPrivateKeySpec;
import org.junit.jupiter.api.Test;

class NodeKeyTest {
    @Test
    void generate_defaultBits_makesExactly3072BitKeyWithF4() throws Exception {
        NodeKey key = NodeKey.generate(NodeKey.DEFAULT_BITS, new SecureRandom());
        assertThat(key.bits()).isEqualTo(3072);
        assertThat(key.publicKey().getPublicExponent()).isEqualTo(BigInteger.valueOf(65537));
        assertThat(key.publicKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(key.nodeId()).isEqualTo(NodeId.of(key.publicKey()));
    }

    @Test
    void generate_belowMinimum_throwsTooSmall() {
        assertThatThrownBy(() -> NodeKey.generate(1024, new SecureRandom()))
                .isInstanceOfSatisfying(
                        KeyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_SMALL))
                .hasMessageContaining("1024 bits")
                .hasMessageContaining("2048");
    }

    @Test
    void of_1024BitPair_throwsTooSmall() {
        assertThatThrownBy(() -> NodeKey.of(TestKeys.rsa1024()))
                .isInstanceOfSatisfying(
                        KeyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_SMALL));
    }

    @Test
    void of_halvesOfDifferentKeys_throwsMismatchedHalves() {
        KeyPair crossed =
                new KeyPair(TestKeys.rsa2048().publicKey(), TestKeys.other2048().privateKey());
        assertThatThrownBy(() -> NodeKey.of(crossed))
                .isInstanceOfSatisfying(
                        KeyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MISMATCHED_HALVES));
    }

    @Test
    void of_sameModulusWrongPrivateExponent_throwsMismatchedHalves() throws Exception {
        RSAPrivateCrtKey good = (RSAPrivateCrtKey) TestKeys.rsa2048().privateKey();
        PrivateKey bad = KeyFactory.getInstance("RSA")
                .generatePrivate(new RSAPrivateKeySpec(
                        good.getModulus(), good.getPrivateExponent().add(BigInteger.TWO)));
        KeyPair pair = new KeyPair(TestKeys.rsa2048().publicKey(), bad);
        assertThatThrownBy(() -> NodeKey.of(pair))
                .isInstanceOfSatisfying(
                        KeyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MISMATCHED_HALVES));
    }

    @Test
    void of_ecKey_throwsUnsupported() throws Exception {
        KeyPair ec = KeyPairGenerator.getInstance("EC").generateKeyPair();
        assertThatThrownBy(() -> NodeKey.of(ec))
                .isInstanceOfSatisfying(
                        KeyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED))
                .hasMessageContaining("RSA");
    }

    @Test
    void of_rsassaPssKey_throwsUnsupported() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSASSA-PSS");
        g.initialize(2048);
        KeyPair pss = g.generateKeyPair();
        assertThatThrownBy(() -> NodeKey.of(pss))
                .isInstanceOfSatisfying(
                        KeyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED))
                .hasMessageContaining("rsaEncryption");
    }

    @Test
    void toString_showsBitsAndNodeIdOnly() {
        NodeKey key = TestKeys.rsa2048();
        RSAPrivateCrtKey priv = (RSAPrivateCrtKey) key.privateKey();
        String text = key.toString();
        assertThat(text).isEqualTo("NodeKey[RSA-2048, node_id=" + key.nodeId().hex() + "]");
        for (BigInteger secret : new BigInteger[] {priv.getPrivateExponent(), priv.getPrimeP(), priv.getPrimeQ()}) {
            assertThat(text).doesNotContain(secret.toString(16)).doesNotContain(secret.toString());
        }
    }
}
