package io.parallelix.node.daemon.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.gpu.DataType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Reads one JSON scalar as an element of a given datatype and appends its little-endian bytes. */
final class JsonElements {
    private JsonElements() {}

    static void append(JsonParser p, DataType type, LeBuffer out, String field, long index) throws IOException {
        JsonToken t = p.currentToken();
        switch (type) {
            case BOOL -> {
                if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                    throw bad(field, index, "BOOL elements must be true or false");
                }
                out.putByte(t == JsonToken.VALUE_TRUE ? 1 : 0);
            }
            case UINT8 -> out.putByte((int) integer(p, field, index, 0, 255));
            case INT8 -> out.putByte((int) integer(p, field, index, Byte.MIN_VALUE, Byte.MAX_VALUE));
            case INT16 -> out.putShort((short) integer(p, field, index, Short.MIN_VALUE, Short.MAX_VALUE));
            case INT32 -> out.putInt((int) integer(p, field, index, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case INT64 -> out.putLong(integer(p, field, index, Long.MIN_VALUE, Long.MAX_VALUE));
            case FP16 -> {
                short h = Float.floatToFloat16(finiteFloat(p, field, index));
                if (Float.isInfinite(Float.float16ToFloat(h))) {
                    throw bad(field, index, "number out of range for FP16");
                }
                out.putShort(h);
            }
            case BF16 -> {
                short b = toBfloat16(finiteFloat(p, field, index));
                if ((b & 0x7F80) == 0x7F80) {
                    throw bad(field, index, "number out of range for BF16");
                }
                out.putShort(b);
            }
            case FP32 -> out.putInt(Float.floatToRawIntBits(finiteFloat(p, field, index)));
            case FP64 -> out.putLong(Double.doubleToRawLongBits(number(p, field, index)));
            case BYTES -> {
                if (t != JsonToken.VALUE_STRING) {
                    throw bad(field, index, "BYTES elements must be strings");
                }
                String text = p.getText();
                int lone = loneSurrogate(text);
                if (lone >= 0) { // getBytes would silently turn it into '?': the model would see other bytes
                    throw bad(
                            field,
                            index,
                            "BYTES element has an unpaired surrogate \\u"
                                    + Integer.toHexString(text.charAt(lone))
                                    + " at char " + lone + ", which has no UTF-8 form");
                }
                byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
                out.putInt(utf8.length);
                out.putBytes(utf8);
            }
        }
    }

    /** The index of the first surrogate that is not half of a pair, or -1. */
    static int loneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    private static long integer(JsonParser p, String field, long index, long min, long max) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw bad(field, index, "expected an integer, got " + describe(p));
        }
        long v;
        try {
            v = p.getLongValue();
        } catch (InputCoercionException e) {
            throw bad(field, index, "integer out of range [" + min + ", " + max + "]");
        }
        if (v < min || v > max) {
            throw bad(field, index, "integer " + v + " out of range [" + min + ", " + max + "]");
        }
        return v;
    }

    private static double number(JsonParser p, String field, long index) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw bad(field, index, "expected a number, got " + describe(p));
        }
        double v = p.getDoubleValue();
        if (!Double.isFinite(v)) {
            throw bad(field, index, "number out of range");
        }
        return v;
    }

    private static float finiteFloat(JsonParser p, String field, long index) throws IOException {
        float f = (float) number(p, field, index);
        if (!Float.isFinite(f)) {
            throw bad(field, index, "number out of range for a 32-bit float");
        }
        return f;
    }

    /** Round to nearest even, as PyTorch and numpy's ml_dtypes do. */
    static short toBfloat16(float f) {
        int bits = Float.floatToRawIntBits(f);
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    static String describe(JsonParser p) {
        JsonToken t = p.currentToken();
        return switch (t) {
            case VALUE_STRING -> "a string";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_NUMBER_FLOAT -> "a non-integer number";
            default -> "a number";
        };
    }

    /** The field path is built only on failure: this runs once per tensor element. */
    private static ApiException.BadRequest bad(String field, long index, String message) {
        return new ApiException.BadRequest(field + "[" + index + "]", message);
    }
}
