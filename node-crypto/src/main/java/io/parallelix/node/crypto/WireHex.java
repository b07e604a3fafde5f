package io.parallelix.node.crypto;

import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * Hex as the wire carries it (node_id, poe): lowercase digits only, so a value has one spelling and
 * a verifier accepts one encoding of it, as it does of a signature (canonical base64).
 */
final class WireHex {
    private WireHex() {}

    /** The bytes {@code text} spells, or null when it is not lowercase hex of even length. */
    static byte @Nullable [] parse(String text) {
        if (text.length() % 2 != 0) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return null;
            }
        }
        return HexFormat.of().parseHex(text);
    }
}
