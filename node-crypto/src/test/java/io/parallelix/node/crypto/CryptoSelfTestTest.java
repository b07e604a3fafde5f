package io.parallelix.node.crypto;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CryptoSelfTestTest {
    @ParameterizedTest
    @EnumSource(CryptoProvider.class)
    void run_healthyProvider_passes(CryptoProvider provider) {
        assertThatCode(() -> CryptoSelfTest.run(provider)).doesNotThrowAnyException();
    }

    @Test
    void run_auto_saysWhichProviderItTested() throws Exception {
        org.assertj.core.api.Assertions.assertThat(CryptoSelfTest.run(CryptoProvider.AUTO))
                .isEqualTo("AmazonCorrettoCryptoProvider 2.5.0");
        org.assertj.core.api.Assertions.assertThat(CryptoSelfTest.run(CryptoProvider.JDK))
                .isEqualTo("SunRsaSign");
    }

    @Test
    void run_corruptDigest_failsNamingTheSha256Check() {
        FaultyProvider faulty = new FaultyProvider();
        faulty.corruptDigests.set(true);
        assertThatThrownBy(() -> CryptoSelfTest.run(faulty.jca()))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("SHA-256(\"abc\") known answer")
                .hasMessageContaining("Faulty");
    }

    @Test
    void run_corruptSignatures_failsNamingSigning() {
        FaultyProvider faulty = new FaultyProvider();
        faulty.corruptSignatures.set(true);
        assertThatThrownBy(() -> CryptoSelfTest.run(faulty.jca()))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("self-test failed: signing with the test key");
    }

    @Test
    void selfTestKey_isTheTestOnly2048BitKey() throws Exception {
        NodeKey key = SelfTestKey.load();
        org.assertj.core.api.Assertions.assertThat(key.bits()).isEqualTo(2048);
        org.assertj.core.api.Assertions.assertThat(key.nodeId().hex()).isEqualTo(CryptoSelfTest.NODE_ID);
    }
}
