package io.parallelix.node.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CryptoProviderTest {
    @Test
    void fromConfig_knownNames_parseCaseInsensitively() {
        assertThat(CryptoProvider.fromConfig("jdk")).isEqualTo(CryptoProvider.JDK);
        assertThat(CryptoProvider.fromConfig("accp")).isEqualTo(CryptoProvider.ACCP);
        assertThat(CryptoProvider.fromConfig(" ACCP ")).isEqualTo(CryptoProvider.ACCP);
        assertThat(CryptoProvider.fromConfig("Auto")).isEqualTo(CryptoProvider.AUTO);
        assertThat(CryptoProvider.ACCP.configName()).isEqualTo("accp");
    }

    @Test
    void fromConfig_unknownName_throwsNamingTheChoices() {
        assertThatThrownBy(() -> CryptoProvider.fromConfig("bouncycastle"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"auto\", \"jdk\" or \"accp\"")
                .hasMessageContaining("bouncycastle");
    }

    @Test
    void resolve_jdk_usesSunProvidersByName() {
        JcaProvider jdk = JcaProvider.resolve(CryptoProvider.JDK);
        assertThat(jdk.signatures().getName()).isEqualTo("SunRsaSign");
        assertThat(jdk.digests().getName()).isEqualTo("SUN");
        assertThat(jdk.description()).isEqualTo("SunRsaSign");
    }

    @Test
    void resolve_accpOnTestClassPath_loadsWithoutInstallingGlobally() {
        JcaProvider accp = JcaProvider.resolve(CryptoProvider.ACCP);
        assertThat(accp.description()).isEqualTo("AmazonCorrettoCryptoProvider 2.5.0");
        assertThat(accp.sha256().getProvider()).isSameAs(accp.digests());
        assertThat(java.security.Security.getProvider("AmazonCorrettoCryptoProvider"))
                .as("ACCP must not be installed as a global provider")
                .isNull();
    }

    @Test
    void resolve_auto_isAccpWhenItLoads_andSaysSo() {
        JcaProvider auto = JcaProvider.resolve(CryptoProvider.AUTO);
        assertThat(auto.kind()).isEqualTo(CryptoProvider.ACCP);
        assertThat(auto.description()).isEqualTo("AmazonCorrettoCryptoProvider 2.5.0");
    }

    @Test
    void resolve_auto_withoutAccp_fallsBackToTheJdk_andSaysSo() {
        JcaProvider auto = JcaProvider.resolve(CryptoProvider.AUTO, "com.example.NoSuchProvider");
        assertThat(auto.kind()).isEqualTo(CryptoProvider.JDK);
        assertThat(auto.description()).isEqualTo("SunRsaSign");
        assertThatThrownBy(() -> JcaProvider.resolve(CryptoProvider.ACCP, "com.example.NoSuchProvider"))
                .as("an explicit accp still refuses to fall back")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void loadAccp_classMissing_failsLoudlyWithTheFix() {
        assertThatThrownBy(() -> JcaProvider.loadAccp("com.example.NoSuchProvider"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ACCP is not on the class path")
                .hasMessageContaining("crypto_provider: jdk");
    }

    @Test
    void loadAccp_classNotAProvider_failsLoudlyWithTheFix() {
        assertThatThrownBy(() -> JcaProvider.loadAccp("java.lang.String"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ACCP could not load")
                .hasMessageContaining("crypto_provider: jdk");
    }
}
