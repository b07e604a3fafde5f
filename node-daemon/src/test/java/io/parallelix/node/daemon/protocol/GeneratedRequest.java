package io.parallelix.node.daemon.protocol;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.parallelix.node.gpu.DataType;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A random infer request for the decoder's structured fuzz test: JSON (or JSON + binary tensor
 * data) built from fuzzer choices, with random key order, escapes, nesting and whitespace, and the
 * decoded form it must give. Sometimes one defect is planted on purpose; then {@link #defects()} is
 * not empty and the decoder must refuse the request. Numbers are written exactly (every value is
 * representable in its datatype), so the expected little-endian bytes do not depend on rounding.
 */
@SuppressWarnings("ArrayRecordComponent") // test data, never compared as records
record GeneratedRequest(
        byte[] body,
        int jsonLength,
        String id,
        List<Input> inputs,
        List<String> outputs,
        @Nullable String pin,
        Set<Defect> defects) {

    enum Defect {
        NO_ID,
        BAD_ID,
        UNKNOWN_DATATYPE,
        EXTRA_ELEMENT,
        MISSING_ELEMENT,
        INTEGER_OUT_OF_RANGE,
        LONE_SURROGATE,
        DUPLICATE_OUTPUT,
        BINARY_SIZE_OFF,
        LEFTOVER_BYTES
    }

    /** One input as it must come out of the decoder. */
    @SuppressWarnings("ArrayRecordComponent")
    record Input(String name, DataType type, List<Long> shape, byte[] bytes) {}

    private static final String ID_ALPHABET = "ABCXYZabcxyz0189._:-";

    static GeneratedRequest generate(FuzzedDataProvider data) {
        return new Builder(data).build();
    }

    private static final class Builder {
        private final FuzzedDataProvider data;
        private final @Nullable Defect wanted;
        private final Set<Defect> planted = EnumSet.noneOf(Defect.class);
        private final JsonText json;
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
        private final boolean binaryMode;

        Builder(FuzzedDataProvider data) {
            this.data = data;
            this.binaryMode = data.consumeBoolean();
            this.wanted = data.consumeInt(0, 3) == 0 ? data.pickValue(Defect.values()) : null;
            this.json = new JsonText(data);
        }

        /** Plants the wanted defect at the first place that can take it. */
        private boolean plant(Defect defect) {
            if (wanted == defect && planted.isEmpty()) {
                planted.add(defect);
                return true;
            }
            return false;
        }

        GeneratedRequest build() {
            String id = id();
            List<Input> inputs = new ArrayList<>();
            List<String> outputs = new ArrayList<>();
            String pin = null;
            List<String> keys = new ArrayList<>(List.of("id", "inputs"));
            if (data.consumeBoolean()) {
                keys.add("outputs");
            }
            if (data.consumeBoolean()) {
                keys.add("parameters");
            }
            if (plant(Defect.NO_ID)) {
                keys.remove("id");
            }
            json.shuffle(keys);
            json.open('{');
            for (String key : keys) {
                json.key(key);
                switch (key) {
                    case "id" -> json.string(id);
                    case "inputs" -> inputs(inputs);
                    case "outputs" -> outputs(outputs);
                    default -> pin = parameters();
                }
            }
            json.close('}');
            byte[] head = json.bytes();
            if (binaryMode && plant(Defect.LEFTOVER_BYTES)) {
                binary.write(data.consumeByte());
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(head);
            body.writeBytes(binary.toByteArray());
            return new GeneratedRequest(
                    body.toByteArray(), binaryMode ? head.length : -1, id, inputs, outputs, pin, planted);
        }

        private String id() {
            StringBuilder id = new StringBuilder();
            int length = data.consumeInt(1, 24);
            for (int i = 0; i < length; i++) {
                id.append(ID_ALPHABET.charAt(data.consumeInt(0, ID_ALPHABET.length() - 1)));
            }
            if (plant(Defect.BAD_ID)) {
                return data.consumeBoolean()
                        ? "x".repeat(129)
                        : id.insert(
                                        data.consumeInt(0, id.length()),
                                        data.pickValue(List.of(" ", "/", "é", "\0", "\uD83D\uDE00")))
                                .toString();
            }
            return id.toString();
        }

        private void inputs(List<Input> inputs) {
            json.open('[');
            int count = data.consumeInt(1, 3);
            for (int i = 0; i < count; i++) {
                inputs.add(input());
            }
            json.close(']');
        }

        private Input input() {
            String name = data.consumeString(8);
            DataType type = data.pickValue(DataType.values());
            List<Long> shape = new ArrayList<>();
            int rank = data.consumeInt(0, 3);
            int elements = 1;
            for (int d = 0; d < rank; d++) {
                shape.add((long) data.consumeInt(0, 3));
                elements *= shape.get(d).intValue();
            }
            List<Element> values = new ArrayList<>();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            boolean lonesBefore = planted.contains(Defect.LONE_SURROGATE);
            for (int k = 0; k < elements; k++) {
                Element e = Elements.random(data, type);
                if (type == DataType.BYTES) {
                    e = surrogates(e);
                }
                values.add(e);
                bytes.writeBytes(e.bytes());
            }
            boolean inBinary = binaryMode && data.consumeBoolean();
            if (inBinary && !lonesBefore) { // binary data carries the bytes above, which are valid UTF-8
                planted.remove(Defect.LONE_SURROGATE);
            }
            List<String> keys = new ArrayList<>(List.of("name", "datatype", "shape", inBinary ? "parameters" : "data"));
            if (!inBinary && data.consumeInt(0, 3) == 0) {
                keys.add("parameters");
            }
            json.shuffle(keys);
            json.open('{');
            for (String key : keys) {
                json.key(key);
                switch (key) {
                    case "name" -> json.string(name);
                    case "datatype" ->
                        json.string(
                                plant(Defect.UNKNOWN_DATATYPE)
                                        ? data.pickValue(List.of(type.name().toLowerCase(Locale.ROOT), "FLOAT32", ""))
                                        : type.name());
                    case "shape" -> json.raw(shape.toString().replace(" ", ""));
                    case "data" -> data(type, shape, values);
                    default -> parameters(inBinary, type, bytes.toByteArray());
                }
            }
            json.close('}');
            return new Input(name, type, List.copyOf(shape), bytes.toByteArray());
        }

        /**
         * BYTES elements: a string with an unpaired surrogate has no UTF-8 form, so written as JSON it
         * must be refused (in a binary section it is the bytes of {@link Elements#random}: no defect).
         */
        private Element surrogates(Element e) {
            String s = e.token();
            if (plant(Defect.LONE_SURROGATE)) {
                int at = data.consumeInt(0, s.length());
                s = s.substring(0, at) + data.pickValue(List.of("\uD800", "\uDFFF", "\uDBFF")) + s.substring(at);
            }
            if (!s.codePoints().allMatch(c -> c < Character.MIN_SURROGATE || c > Character.MAX_SURROGATE)) {
                planted.add(Defect.LONE_SURROGATE);
            }
            return new Element(s, e.bytes());
        }

        private void data(DataType type, List<Long> shape, List<Element> values) {
            List<String> tokens = new ArrayList<>();
            for (Element e : values) {
                tokens.add(type == DataType.BYTES ? JsonText.quote(e.token(), data.consumeInt(0, 7) == 0) : e.token());
            }
            boolean flat = shape.isEmpty() || data.consumeBoolean();
            if (!tokens.isEmpty() && isInteger(type) && plant(Defect.INTEGER_OUT_OF_RANGE)) {
                tokens.set(data.consumeInt(0, tokens.size() - 1), outOfRange(type));
            }
            if (plant(Defect.EXTRA_ELEMENT)) {
                tokens.add(
                        tokens.isEmpty() ? Elements.random(data, DataType.BOOL).token() : tokens.get(0));
                flat = true;
            } else if (!tokens.isEmpty() && plant(Defect.MISSING_ELEMENT)) {
                tokens.remove(tokens.size() - 1);
                flat = true;
            }
            if (flat) {
                json.raw("[" + String.join(",", tokens) + "]");
            } else {
                json.raw(nested(tokens, shape, 0, 0));
            }
        }

        /** Row-major nesting by shape: [[1,2],[3,4]] for [2,2]; [[],[]] for [2,0]. */
        private static String nested(List<String> tokens, List<Long> shape, int dim, int offset) {
            if (dim == shape.size()) {
                return tokens.get(offset);
            }
            int stride = 1;
            for (int d = dim + 1; d < shape.size(); d++) {
                stride *= shape.get(d).intValue();
            }
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < shape.get(dim); i++) {
                out.append(i == 0 ? "" : ",").append(nested(tokens, shape, dim + 1, offset + i * stride));
            }
            return out.append(']').toString();
        }

        private void parameters(boolean inBinary, DataType type, byte[] bytes) {
            json.open('{');
            if (inBinary) {
                long size = bytes.length;
                if (type != DataType.BYTES && plant(Defect.BINARY_SIZE_OFF)) {
                    size += size == 0 || data.consumeBoolean() ? 1 : -1;
                }
                json.key("binary_data_size");
                json.raw(Long.toString(size));
                binary.writeBytes(bytes);
            }
            if (data.consumeBoolean()) {
                json.key("content_type");
                json.raw("{\"ignored\":[1,{\"deep\":null}]}");
            }
            json.close('}');
        }

        private void outputs(List<String> outputs) {
            json.open('[');
            int count = data.consumeInt(0, 2);
            for (int i = 0; i < count; i++) {
                String name = data.consumeString(6);
                if (!outputs.contains(name)) {
                    outputs.add(name);
                }
            }
            List<String> written = new ArrayList<>(outputs);
            if (!outputs.isEmpty() && plant(Defect.DUPLICATE_OUTPUT)) {
                written.add(outputs.get(0));
            }
            for (String name : written) {
                json.open('{');
                json.key("name");
                json.string(name);
                if (data.consumeBoolean()) {
                    json.key("parameters");
                    json.raw("{\"binary_data\":true}");
                }
                json.close('}');
            }
            json.close(']');
        }

        private @Nullable String parameters() {
            json.open('{');
            String pin = null;
            if (data.consumeBoolean()) {
                StringBuilder hex = new StringBuilder(HexFormat.of().formatHex(data.consumeBytes(32)));
                while (hex.length() < 64) {
                    hex.append('0');
                }
                pin = hex.toString();
                for (int i = 0; i < hex.length(); i++) {
                    if (data.consumeInt(0, 3) == 0) {
                        hex.setCharAt(i, Character.toUpperCase(hex.charAt(i)));
                    }
                }
                json.key("model_sha256");
                json.string(hex.toString());
            }
            if (data.consumeBoolean()) {
                json.key("priority");
                json.raw("[1.5e300,\"x\",{}]");
            }
            json.close('}');
            return pin;
        }
    }

    private static boolean isInteger(DataType type) {
        return switch (type) {
            case UINT8, INT8, INT16, INT32, INT64 -> true;
            default -> false;
        };
    }

    private static String outOfRange(DataType type) {
        BigInteger max = type == DataType.UINT8
                ? BigInteger.valueOf(255)
                : BigInteger.ONE.shiftLeft(8 * type.byteSize() - 1).subtract(BigInteger.ONE);
        BigInteger min = type == DataType.UINT8 ? BigInteger.ZERO : max.negate().subtract(BigInteger.ONE);
        return (type.ordinal() % 2 == 0 ? max.add(BigInteger.ONE) : min.subtract(BigInteger.ONE)).toString();
    }

    /** One tensor element: its JSON token (for BYTES the string itself, quoted later) and its bytes. */
    @SuppressWarnings("ArrayRecordComponent")
    record Element(String token, byte[] bytes) {}

    /** Random elements whose values are exact in their datatype. */
    private static final class Elements {
        static Element random(FuzzedDataProvider data, DataType type) {
            return switch (type) {
                case BOOL -> {
                    boolean b = data.consumeBoolean();
                    yield new Element(Boolean.toString(b), new byte[] {(byte) (b ? 1 : 0)});
                }
                case UINT8 -> integer(data.consumeInt(0, 255), 1);
                case INT8 -> integer(data.consumeByte(), 1);
                case INT16 -> integer(data.consumeShort(), 2);
                case INT32 -> integer(data.consumeInt(), 4);
                case INT64 -> integer(data.consumeLong(), 8);
                case FP16 -> {
                    short h = data.consumeShort();
                    if (!Float.isFinite(Float.float16ToFloat(h))) {
                        h = 0x3C00;
                    }
                    yield new Element(number(data, Float.float16ToFloat(h)), le(h, 2));
                }
                case BF16 -> {
                    short b = data.consumeShort();
                    if (!Float.isFinite(Float.intBitsToFloat(b << 16))) {
                        b = 0x3F80;
                    }
                    yield new Element(number(data, Float.intBitsToFloat(b << 16)), le(b, 2));
                }
                case FP32 -> {
                    float f = Float.intBitsToFloat(data.consumeInt());
                    f = Float.isFinite(f) ? f : 1f;
                    yield new Element(number(data, f), le(Float.floatToRawIntBits(f), 4));
                }
                case FP64 -> {
                    double d = Double.longBitsToDouble(data.consumeLong());
                    d = Double.isFinite(d) ? d : 1d;
                    yield new Element(number(data, d), le(Double.doubleToRawLongBits(d), 8));
                }
                case BYTES -> {
                    String s = data.consumeString(6);
                    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                    ByteBuffer b = ByteBuffer.allocate(4 + utf8.length).order(ByteOrder.LITTLE_ENDIAN);
                    yield new Element(s, b.putInt(utf8.length).put(utf8).array());
                }
            };
        }

        private static Element integer(long v, int size) {
            return new Element(Long.toString(v), le(v, size));
        }

        /** The shortest decimal that parses back to exactly this double; integral values sometimes as integers. */
        private static String number(FuzzedDataProvider data, double d) {
            boolean integral =
                    d == Math.rint(d) && Math.abs(d) < 1e15 && Double.doubleToRawLongBits(d) != Long.MIN_VALUE;
            return integral && data.consumeBoolean() ? Long.toString((long) d) : Double.toString(d);
        }

        private static byte[] le(long v, int size) {
            byte[] out = new byte[size];
            for (int i = 0; i < size; i++) {
                out[i] = (byte) (v >>> (8 * i));
            }
            return out;
        }
    }
}
