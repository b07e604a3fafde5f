package io.parallelix.node.gpu;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Tensor values written in a model config (YAML numbers, booleans, strings) to the raw
 * little-endian layout of an input, and output bytes back to numbers for canary comparison.
 */
final class ConfigValues {
    private ConfigValues() {}

    /** IllegalArgumentException names the element ("data[3]") and why it does not fit the type. */
    static ByteBuffer encode(DataType type, List<JsonNode> values) {
        if (type == DataType.BYTES) {
            String[] strings = new String[values.size()];
            for (int i = 0; i < strings.length; i++) {
                if (!values.get(i).isTextual()) {
                    throw new IllegalArgumentException("data[" + i + "] must be a string for BYTES");
                }
                strings[i] = values.get(i).textValue();
            }
            return ByteBuffer.wrap(BytesLayout.encode(strings));
        }
        ByteBuffer out = ByteBuffer.allocate(values.size() * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < values.size(); i++) {
            JsonNode v = values.get(i);
            if (type == DataType.BOOL && v.isBoolean()) {
                out.put((byte) (v.booleanValue() ? 1 : 0));
            } else if (!v.isNumber()) {
                throw new IllegalArgumentException("data[" + i + "] must be a number for " + type + ", got " + v);
            } else {
                put(out, type, v, i);
            }
        }
        return out.flip();
    }

    private static void put(ByteBuffer out, DataType type, JsonNode v, int i) {
        double d = v.doubleValue();
        switch (type) {
            case FP16 -> out.putShort(Float.floatToFloat16((float) d));
            case BF16 -> out.putShort(toBfloat16((float) d));
            case FP32 -> out.putFloat((float) d);
            case FP64 -> out.putDouble(d);
            default -> {
                if (!v.canConvertToExactIntegral() || !v.canConvertToLong()) {
                    throw new IllegalArgumentException("data[" + i + "] must be an integer for " + type + ", got " + v);
                }
                long n = v.longValue();
                long[] range = range(type);
                if (n < range[0] || n > range[1]) {
                    throw new IllegalArgumentException("data[" + i + "] = " + n + " is out of range for " + type);
                }
                switch (type.byteSize()) {
                    case 1 -> out.put((byte) n);
                    case 2 -> out.putShort((short) n);
                    case 4 -> out.putInt((int) n);
                    default -> out.putLong(n);
                }
            }
        }
    }

    private static long[] range(DataType type) {
        return switch (type) {
            case BOOL -> new long[] {0, 1};
            case UINT8 -> new long[] {0, 255};
            case INT8 -> new long[] {Byte.MIN_VALUE, Byte.MAX_VALUE};
            case INT16 -> new long[] {Short.MIN_VALUE, Short.MAX_VALUE};
            case INT32 -> new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
            default -> new long[] {Long.MIN_VALUE, Long.MAX_VALUE};
        };
    }

    /** Round to nearest even, as PyTorch and ORT do; NaN stays a quiet NaN. */
    static short toBfloat16(float f) {
        if (Float.isNaN(f)) {
            return (short) 0x7FC0;
        }
        int bits = Float.floatToRawIntBits(f);
        bits += 0x7FFF + ((bits >>> 16) & 1);
        return (short) (bits >>> 16);
    }

    /** Elements of a safetensors tensor of a fixed-size dtype, as doubles. */
    static List<Double> toDoubles(String dtype, ByteBuffer data) {
        ByteBuffer in = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        List<Double> out = new ArrayList<>();
        while (in.hasRemaining()) {
            out.add(
                    switch (dtype) {
                        case "BOOL", "U8" -> (double) (in.get() & 0xFF);
                        case "I8" -> (double) in.get();
                        case "I16" -> (double) in.getShort();
                        case "I32" -> (double) in.getInt();
                        case "I64" -> (double) in.getLong();
                        case "F16" -> (double) Float.float16ToFloat(in.getShort());
                        case "BF16" -> (double) Float.intBitsToFloat((in.getShort() & 0xFFFF) << 16);
                        case "F32" -> (double) in.getFloat();
                        case "F64" -> in.getDouble();
                        default -> throw new IllegalArgumentException("unknown dtype " + dtype);
                    });
        }
        return out;
    }

    static String utf8(ByteBuffer data) {
        return StandardCharsets.UTF_8.decode(data.duplicate()).toString();
    }
}
