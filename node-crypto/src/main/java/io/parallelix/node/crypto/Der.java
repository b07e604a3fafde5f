package io.parallelix.node.crypto;

import java.security.spec.InvalidKeySpecException;
import java.util.Arrays;

/**
 * The few DER operations the key codecs need, and nothing more: read a definite-length TLV, name a
 * key's algorithm OID, and wrap a PKCS#1 RSAPrivateKey into a PKCS#8 PrivateKeyInfo (which the JDK
 * cannot do itself).
 */
final class Der {
    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;

    /** 1.2.840.113549.1.1.1 rsaEncryption (content bytes). */
    static final byte[] RSA_ENCRYPTION = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};

    /** 1.2.840.113549.1.1.10 id-RSASSA-PSS (content bytes). */
    static final byte[] RSASSA_PSS = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x0a};

    private Der() {}

    /** A cursor over the contents of one constructed value. */
    static final class Reader {
        private final byte[] buf;
        private int pos;
        private final int end;

        Reader(byte[] buf) {
            this(buf, 0, buf.length);
        }

        private Reader(byte[] buf, int pos, int end) {
            this.buf = buf;
            this.pos = pos;
            this.end = end;
        }

        /** Reads the next value, which must carry {@code tag}; returns a reader over its contents. */
        Reader next(int tag) throws InvalidKeySpecException {
            if (pos + 2 > end) {
                throw malformed("truncated");
            }
            int actual = buf[pos++] & 0xff;
            if (actual != tag) {
                throw malformed(String.format("expected tag 0x%02x, found 0x%02x", tag, actual));
            }
            int length = buf[pos++] & 0xff;
            if (length >= 0x80) {
                int octets = length & 0x7f;
                if (octets == 0 || octets > 3 || pos + octets > end) {
                    throw malformed("unsupported length encoding");
                }
                length = 0;
                for (int i = 0; i < octets; i++) {
                    length = (length << 8) | (buf[pos++] & 0xff);
                }
            }
            if (length > end - pos) {
                throw malformed("length runs past the end");
            }
            Reader contents = new Reader(buf, pos, pos + length);
            pos += length;
            return contents;
        }

        byte[] remaining() {
            return Arrays.copyOfRange(buf, pos, end);
        }
    }

    /** The algorithm OID of a PKCS#8 PrivateKeyInfo: SEQUENCE { INTEGER, SEQUENCE { OID, ... }, ... }. */
    static byte[] privateKeyAlgorithm(byte[] pkcs8) throws InvalidKeySpecException {
        Reader info = new Reader(pkcs8).next(SEQUENCE);
        info.next(INTEGER);
        return info.next(SEQUENCE).next(OID).remaining();
    }

    /** The algorithm OID of a SubjectPublicKeyInfo: SEQUENCE { SEQUENCE { OID, ... }, BIT STRING }. */
    static byte[] publicKeyAlgorithm(byte[] spki) throws InvalidKeySpecException {
        return new Reader(spki).next(SEQUENCE).next(SEQUENCE).next(OID).remaining();
    }

    /**
     * PrivateKeyInfo { version 0, AlgorithmIdentifier { rsaEncryption, NULL }, OCTET STRING pkcs1 },
     * assembled into one array so that the key bytes are copied exactly once (the caller zeroes it).
     */
    static byte[] wrapPkcs1(byte[] pkcs1) {
        byte[] version = {INTEGER, 0x01, 0x00};
        byte[] algorithm = concat(header(SEQUENCE, 2 + RSA_ENCRYPTION.length + 2), header(OID, RSA_ENCRYPTION.length));
        byte[] octetHeader = header(OCTET_STRING, pkcs1.length);
        int innerLength = version.length
                + algorithm.length
                + RSA_ENCRYPTION.length
                + 2 // NULL
                + octetHeader.length
                + pkcs1.length;
        byte[] outerHeader = header(SEQUENCE, innerLength);
        byte[] out = new byte[outerHeader.length + innerLength];
        int at = put(out, 0, outerHeader);
        at = put(out, at, version);
        at = put(out, at, algorithm);
        at = put(out, at, RSA_ENCRYPTION);
        at = put(out, at, new byte[] {NULL, 0x00});
        at = put(out, at, octetHeader);
        put(out, at, pkcs1);
        return out;
    }

    static byte[] header(int tag, int length) {
        if (length < 0x80) {
            return new byte[] {(byte) tag, (byte) length};
        }
        int octets = length < 0x100 ? 1 : length < 0x10000 ? 2 : 3;
        byte[] h = new byte[2 + octets];
        h[0] = (byte) tag;
        h[1] = (byte) (0x80 | octets);
        for (int i = 0; i < octets; i++) {
            h[2 + i] = (byte) (length >>> (8 * (octets - 1 - i)));
        }
        return h;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int put(byte[] out, int at, byte[] part) {
        System.arraycopy(part, 0, out, at, part.length);
        return at + part.length;
    }

    private static InvalidKeySpecException malformed(String why) {
        return new InvalidKeySpecException("malformed DER: " + why);
    }
}
