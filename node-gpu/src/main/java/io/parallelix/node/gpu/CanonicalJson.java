package io.parallelix.node.gpu;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The JSON spelling the safetensors header uses: strings escape only '"', '\', and control
 * characters (backslash-b, f, n, r, t; others as backslash-u00xx, lower-case hex); everything else is literal UTF-8. Keys
 * sort by Unicode code point, which is the order of their UTF-8 bytes compared unsigned.
 */
final class CanonicalJson {
    static final Comparator<String> CODE_POINT_ORDER =
            (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private CanonicalJson() {}

    static StringBuilder appendString(StringBuilder out, String value) {
        requireWellFormed(value);
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    /** Unpaired surrogates have no UTF-8 form, so two nodes could not agree on their bytes. */
    static void requireWellFormed(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("string has an unpaired surrogate at index " + i);
            }
        }
    }
}
