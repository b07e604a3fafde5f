package io.parallelix.node.gpu;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The OIP binary layout of BYTES tensors: per element, row-major, a 4-byte little-endian length
 * and then that many bytes. ONNX string tensors hold UTF-8 text, so elements must be valid UTF-8.
 */
final class BytesLayout {
    private BytesLayout() {}

    /** Exactly {@code count} elements and no trailing bytes, or IllegalArgumentException saying where. */
    static String[] parse(ByteBuffer data, long count) {
        ByteBuffer in = data.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (count > in.remaining() / 4) {
            throw new IllegalArgumentException(
                    count + " elements need at least " + 4 * count + " bytes, given " + in.remaining());
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        String[] values = new String[(int) count];
        for (int i = 0; i < values.length; i++) {
            if (in.remaining() < 4) {
                throw new IllegalArgumentException("element " + i + " has no 4-byte length (data ends)");
            }
            long length = Integer.toUnsignedLong(in.getInt());
            if (length > in.remaining()) {
                throw new IllegalArgumentException(
                        "element " + i + " declares " + length + " bytes but only " + in.remaining() + " remain");
            }
            ByteBuffer element = in.slice(in.position(), (int) length);
            in.position(in.position() + (int) length);
            try {
                values[i] = utf8.decode(element).toString();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("element " + i + " is not valid UTF-8");
            }
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException(in.remaining() + " bytes follow the last of the " + count + " elements");
        }
        return values;
    }

    /**
     * Whether ORT's Java API passes the string to the model as its exact UTF-8: it converts through
     * JNI's modified UTF-8, which spells U+0000 and characters above U+FFFF differently.
     */
    static boolean passesJni(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0 || Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    static byte[] encode(String[] values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer length = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        for (String v : values) {
            byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(length.putInt(0, bytes.length).array());
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }
}
