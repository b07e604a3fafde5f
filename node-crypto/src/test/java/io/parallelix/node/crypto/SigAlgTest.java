package io.parallelix.node.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.spec.MGF1ParameterSpec;
import org.junit.jupiter.api.Test;

class SigAlgTest {
    @Test
    void fromWireName_joseNames_roundTrip() {
        for (SigAlg alg : SigAlg.values()) {
            assertThat(SigAlg.fromWireName(alg.wireName())).contains(alg);
        }
        assertThat(SigAlg.PS256.wireName()).isEqualTo("PS256");
        assertThat(SigAlg.RS256.wireName()).isEqualTo("RS256");
    }

    @Test
    void fromWireName_otherSpellings_areEmpty() {
        assertThat(SigAlg.fromWireName("ps256")).isEmpty();
        assertThat(SigAlg.fromWireName("RS512")).isEmpty();
        assertThat(SigAlg.fromWireName("")).isEmpty();
        assertThat(SigAlg.fromWireName("PS256 ")).isEmpty();
    }

    @Test
    void ps256Params_areSha256Mgf1Sha256Salt32() {
        var p = JcaProvider.PS256_PARAMS;
        assertThat(p.getDigestAlgorithm()).isEqualTo("SHA-256");
        assertThat(p.getMGFAlgorithm()).isEqualTo("MGF1");
        assertThat(((MGF1ParameterSpec) p.getMGFParameters()).getDigestAlgorithm())
                .isEqualTo("SHA-256");
        assertThat(p.getSaltLength()).isEqualTo(32);
        assertThat(p.getTrailerField()).isEqualTo(1);
    }
}
