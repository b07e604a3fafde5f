package io.parallelix.node.crypto;

import io.parallelix.node.crypto.KeyException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * RFC 7468 PEM, working on bytes so that key material never becomes an immutable String. Decoding
 * takes the first BEGIN/END block (text around it is ignored, as openssl does) and is strict about
 * the base64 inside; the caller zeroes {@link #der()} when done.
 */
final class Pem {
    private static final byte[] BEGIN = "-----BEGIN ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DASHES = "-----".getBytes(StandardCharsets.US_ASCII);

    private final String label;
    private final boolean hasHeaders;
    private final byte[] der;

    private Pem(String label, boolean hasHeaders, byte[] der) {
        this.label = label;
        this.hasHeaders = hasHeaders;
        this.der = der;
    }

    String label() {
        return label;
    }

    /** RFC 1421 headers such as "Proc-Type: 4,ENCRYPTED" (an encrypted traditional key). */
    boolean hasHeaders() {
        return hasHeaders;
    }

    /** The decoded bytes themselves, not a copy: the caller zeroes them when done. */
    byte[] der() {
        return der;
    }

    /** "-----BEGIN label-----", base64 lines of 64, "-----END label-----", trailing newline. */
    static byte[] encode(String label, byte[] der) {
        byte[] body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encode(der);
        byte[] head = ("-----BEGIN " + label + "-----\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\n-----END " + label + "-----\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + body.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        System.arraycopy(tail, 0, out, head.length + body.length, tail.length);
        Arrays.fill(body, (byte) 0);
        return out;
    }

    static Pem decode(byte[] text) throws KeyException {
        int begin = indexOf(text, BEGIN, 0);
        if (begin < 0) {
            throw malformed("no \"-----BEGIN ...-----\" line (not a PEM file)");
        }
        int labelStart = begin + BEGIN.length;
        int labelEnd = indexOf(text, DASHES, labelStart);
        if (labelEnd < 0 || labelEnd - labelStart > 64 || !printableAscii(text, labelStart, labelEnd)) {
            // Not echoed: a label that ran on past its line would carry base64 key text into the message.
            throw malformed("unterminated BEGIN line (the label must be printable ASCII on that line)");
        }
        String label = new String(text, labelStart, labelEnd - labelStart, StandardCharsets.US_ASCII);
        byte[] end = ("-----END " + label + "-----").getBytes(StandardCharsets.US_ASCII);
        int bodyStart = labelEnd + DASHES.length;
        int bodyEnd = indexOf(text, end, bodyStart);
        if (bodyEnd < 0) {
            throw malformed("no \"-----END " + label + "-----\" line (truncated?)");
        }
        boolean hasHeaders = false;
        byte[] base64 = new byte[bodyEnd - bodyStart];
        int n = 0;
        try {
            for (int lineStart = bodyStart; lineStart < bodyEnd; ) {
                int lineEnd = lineStart;
                while (lineEnd < bodyEnd && text[lineEnd] != '\n') {
                    lineEnd++;
                }
                if (contains(text, lineStart, lineEnd, (byte) ':')) {
                    hasHeaders = true; // RFC 1421 "Proc-Type: 4,ENCRYPTED" style header line
                } else {
                    for (int i = lineStart; i < lineEnd; i++) {
                        byte b = text[i];
                        if (b != '\r' && b != ' ' && b != '\t') {
                            base64[n++] = b;
                        }
                    }
                }
                lineStart = lineEnd + 1;
            }
            byte[] der;
            try {
                ByteBuffer decoded = Base64.getDecoder().decode(ByteBuffer.wrap(base64, 0, n));
                der = new byte[decoded.remaining()];
                decoded.get(der);
                if (decoded.hasArray()) {
                    Arrays.fill(decoded.array(), (byte) 0);
                }
            } catch (IllegalArgumentException e) {
                throw malformed("the base64 between BEGIN and END is corrupt");
            }
            if (der.length == 0 && !hasHeaders) {
                throw malformed("empty PEM body");
            }
            return new Pem(label, hasHeaders, der);
        } finally {
            Arrays.fill(base64, (byte) 0);
        }
    }

    private static boolean printableAscii(byte[] text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text[i] < 0x20 || text[i] == 0x7f) { // bytes are signed: >= 0x80 is negative
                return false;
            }
        }
        return true;
    }

    private static boolean contains(byte[] text, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (text[i] == b) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static KeyException malformed(String why) {
        return new KeyException(Reason.MALFORMED, why);
    }
}
