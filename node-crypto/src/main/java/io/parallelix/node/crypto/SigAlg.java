package io.parallelix.node.crypto;

import java.util.Optional;

/** The signature schemes a node may use; the wire name travels in the envelope as {@code sig_alg}. */
public enum SigAlg {
    /** RSASSA-PSS, SHA-256, MGF1-SHA-256, salt length 32, trailer 1 (JOSE "PS256"). The default. */
    PS256,
    /** RSASSA-PKCS1-v1_5 with SHA-256 (JOSE "RS256"). Deterministic. */
    RS256;

    public String wireName() {
        return name();
    }

    /** Exact, case-sensitive JOSE names ("PS256", "RS256"); anything else is empty. */
    public static Optional<SigAlg> fromWireName(String name) {
        for (SigAlg alg : values()) {
            if (alg.wireName().equals(name)) {
                return Optional.of(alg);
            }
        }
        return Optional.empty();
    }
}
