package io.parallelix.node.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeIdTest {
    @Test
    void of_selfTestKey_isSha256OfSpkiKnownAnswer() throws Exception {
        NodeKey key = TestKeys.rsa2048();
        byte[] expected =
                MessageDigest.getInstance("SHA-256").digest(key.publicKey().getEncoded());
        assertThat(NodeId.of(key.publicKey()).bytes()).isEqualTo(expected);
        // computed by pyca/cryptography in scripts/gen_self_test_kat.py
        assertThat(NodeId.of(key.publicKey()).hex()).isEqualTo(CryptoSelfTest.NODE_ID);
    }

    @Test
    void hex_isLowercase64DigitsAndToStringMatches() {
        NodeId id = TestKeys.rsa2048().nodeId();
        assertThat(id.hex()).matches("[0-9a-f]{64}");
        assertThat(id).hasToString(id.hex());
    }

    @Test
    void fromHex_upperOrLowerCase_roundTripsAndEquals() {
        NodeId id = TestKeys.rsa2048().nodeId();
        assertThat(NodeId.fromHex(id.hex())).isEqualTo(id).hasSameHashCodeAs(id);
        assertThat(NodeId.fromHex(id.hex().toUpperCase(java.util.Locale.ROOT))).isEqualTo(id);
    }

    @Test
    void tryFromHex_fromTheNetwork_takesOnlyLowercase() {
        NodeId id = TestKeys.rsa2048().nodeId();
        assertThat(NodeId.tryFromHex(id.hex())).contains(id);
        assertThat(NodeId.tryFromHex(id.hex().toUpperCase(java.util.Locale.ROOT)))
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "00",
                "0bc29ac17028c97dd3de13a328cd8b955a2c8de07aab6b1f24888c8023503fb",
                "0bc29ac17028c97dd3de13a328cd8b955a2c8de07aab6b1f24888c8023503fbbb",
                "0bc29ac17028c97dd3de13a328cd8b955a2c8de07aab6b1f24888c8023503fbg",
                "0bc29ac17028c97dd3de13a328cd8b955a2c8de07aab6b1f24888c8023503fb\u0660",
                " bc29ac17028c97dd3de13a328cd8b955a2c8de07aab6b1f24888c8023503fbb"
            })
    void fromHex_notExactly64HexDigits_throws(String hex) {
        assertThatThrownBy(() -> NodeId.fromHex(hex)).isInstanceOf(IllegalArgumentException.class);
        assertThat(NodeId.tryFromHex(hex)).isEmpty();
    }

    @Test
    void bytes_returnsACopy() {
        NodeId id = TestKeys.rsa2048().nodeId();
        byte[] b = id.bytes();
        b[0] ^= 1;
        assertThat(id.bytes()).isNotEqualTo(b);
    }

    @Test
    void equals_differentKeys_notEqual() {
        assertThat(TestKeys.rsa2048().nodeId())
                .isNotEqualTo(TestKeys.other2048().nodeId());
        assertThat(TestKeys.rsa2048().nodeId())
                .isNotEqualTo((Object) HexFormat.of().formatHex(new byte[32]));
    }
}
