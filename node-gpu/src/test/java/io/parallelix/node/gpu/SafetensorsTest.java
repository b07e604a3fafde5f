package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.gpu.Safetensors.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SafetensorsTest {
    private static final List<String> DTYPES =
            List.of("BOOL", "U8", "I8", "I16", "I32", "I64", "F16", "BF16", "F32", "F64");

    @Test
    void encode_smallFile_matchesGoldenBytes() {
        // Computed independently (Python struct + str): 8-byte length 0x58, 83 bytes of JSON, 5 spaces, 8 data bytes.
        String golden = "58000000000000007b225f5f6d657461646174615f5f223a7b226d6f64656c223a226d227d2c2278223a7b2264"
                + "6174615f6f666673657473223a5b302c385d2c226474797065223a22463332222c227368617065223a5b325d7d7d"
                + "20202020200000803f00000040";

        byte[] bytes = Safetensors.encode(List.of(f32("x", List.of(2L), 1f, 2f)), Map.of("model", "m"));

        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(golden);
    }

    @Test
    void encode_tensorsInAnyOrder_sameBytesSortedByCodePoint() {
        Tensor b = f32("b", List.of(1L), 1f);
        Tensor upper = f32("Z", List.of(1L), 2f);
        Tensor astral = f32("\uD83D\uDE00", List.of(1L), 3f); // U+1F600 sorts after U+FFFD in code points
        Tensor bmp = f32("\uFFFD", List.of(1L), 4f);

        byte[] one = Safetensors.encode(List.of(b, upper, astral, bmp), Map.of("k", "v"));
        byte[] two = Safetensors.encode(List.of(bmp, astral, upper, b), Map.of("k", "v"));

        assertThat(one).isEqualTo(two);
        assertThat(Safetensors.decode(one).tensors())
                .extracting(Tensor::name)
                .containsExactly("Z", "b", "\uFFFD", "\uD83D\uDE00");
        String header = new String(one, 8, 120, StandardCharsets.UTF_8);
        assertThat(header).startsWith("{\"Z\":").contains("\"__metadata__\":{\"k\":\"v\"},\"b\":");
    }

    @Test
    void encode_anyHeader_isPaddedToMultipleOfEightWithSpaces() {
        for (int length = 1; length < 20; length++) {
            byte[] bytes = Safetensors.encode(List.of(f32("t".repeat(length), List.of(0L))), Map.of());
            long header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertThat((8 + header) % 8).isZero();
            assertThat(bytes[(int) (8 + header - 1)]).isIn((byte) ' ', (byte) '}');
            assertThat(new String(bytes, 8, (int) header, StandardCharsets.UTF_8).strip())
                    .endsWith("}");
        }
    }

    @Test
    void encode_emptyMetadata_omitsTheKey() {
        byte[] bytes = Safetensors.encode(List.of(f32("x", List.of(1L), 1f)), Map.of());

        assertThat(new String(bytes, StandardCharsets.UTF_8)).doesNotContain("__metadata__");
        assertThat(Safetensors.decode(bytes).metadata()).isEmpty();
    }

    @Test
    void encode_controlAndQuoteCharacters_escapedCanonically() {
        byte[] bytes = Safetensors.encode(List.of(), Map.of("k", "a\"b\\c\nd\u0001é"));

        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"a\\\"b\\\\c\\nd\\u0001é\"");
        assertThat(Safetensors.decode(bytes).metadata()).containsEntry("k", "a\"b\\c\nd\u0001é");
    }

    @Test
    void encode_badTensors_rejected() {
        assertThatThrownBy(() -> Safetensors.encode(List.of(f32("x", List.of(3L), 1f)), Map.of()))
                .hasMessageContaining("needs 12 bytes, has 4");
        assertThatThrownBy(() ->
                        Safetensors.encode(List.of(f32("x", List.of(1L), 1f), f32("x", List.of(1L), 2f)), Map.of()))
                .hasMessageContaining("two tensors named 'x'");
        assertThatThrownBy(() -> Safetensors.encode(
                        List.of(new Tensor("x", "U4", List.of(1L), ByteBuffer.allocate(1))), Map.of()))
                .hasMessageContaining("unknown dtype U4");
        assertThatThrownBy(() -> Safetensors.encode(List.of(f32("\uD800", List.of(1L), 1f)), Map.of()))
                .hasMessageContaining("unpaired surrogate");
    }

    @Test
    void decode_randomFiles_roundTripExactly() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int round = 0; round < 200; round++) {
            List<Tensor> tensors = new ArrayList<>();
            int count = random.nextInt(5);
            for (int i = 0; i < count; i++) {
                String dtype = DTYPES.get(random.nextInt(DTYPES.size()));
                List<Long> shape = new ArrayList<>();
                int rank = random.nextInt(4);
                for (int d = 0; d < rank; d++) {
                    shape.add((long) random.nextInt(4));
                }
                byte[] data = new byte[(int) Shapes.elementCount(shape) * SafetensorsWriter.DTYPE_SIZES.get(dtype)];
                random.nextBytes(data);
                tensors.add(new Tensor("t" + i + "_" + random.nextInt(1000), dtype, shape, ByteBuffer.wrap(data)));
            }
            Map<String, String> meta = random.nextBoolean() ? Map.of() : Map.of("model", "m" + random.nextInt());

            byte[] bytes = Safetensors.encode(tensors, meta);
            Safetensors.File file = Safetensors.decode(bytes);

            assertThat(Safetensors.encode(file.tensors(), file.metadata()))
                    .as("seed %d", seed)
                    .isEqualTo(bytes);
            assertThat(file.metadata()).as("seed %d", seed).isEqualTo(meta);
            assertThat(file.tensors()).as("seed %d", seed).hasSize(tensors.size());
        }
    }

    @Test
    void decode_nonCanonicalFiles_rejected() {
        byte[] good =
                Safetensors.encode(List.of(f32("a", List.of(1L), 1f), f32("b", List.of(1L), 2f)), Map.of("m", "v"));
        String header =
                "{\"__metadata__\":{\"m\":\"v\"},\"a\":{\"data_offsets\":[0,4],\"dtype\":\"F32\",\"shape\":[1]},"
                        + "\"b\":{\"data_offsets\":[4,8],\"dtype\":\"F32\",\"shape\":[1]}}";
        assertThat(Safetensors.decode(withHeader(header, good, 8)).tensors()).hasSize(2);

        assertRejected(withHeader(header.replace(",\"b\"", ", \"b\""), good, 8), "expected");
        assertRejected(
                withHeader(header.replace("\"a\":{\"data_offsets\":[0,4]", "\"c\":{\"data_offsets\":[0,4]"), good, 8),
                "code-point order");
        assertRejected(withHeader(header.replace("[4,8]", "[4,9]"), good, 8), "spans 5 bytes");
        assertRejected(withHeader(header.replace("[4,8]", "[5,9]"), good, 8), "starts at 5");
        assertRejected(withHeader(header.replace("F32", "F33"), good, 8), "unknown dtype F33");
        assertRejected(withHeader(header.replace("[0,4]", "[00,4]"), good, 8), "leading zeros");
        assertRejected(withHeader(header.replace("\"m\":\"v\"", "\"m\":\"\\u0076\""), good, 8), "canonical form");
        assertRejected(withHeader(header.replace("{\"m\":\"v\"}", "{}"), good, 8), "canonical form");
        assertRejected(withHeader(header + "        ", good, 8), "canonical form"); // over-padded
        assertRejected(Arrays.copyOf(good, good.length + 1), "data is 9 bytes");
        assertRejected(Arrays.copyOf(good, good.length - 1), "ends past the end");
        assertRejected(new byte[] {1, 2, 3}, "shorter than");
        byte[] hugeLength = good.clone();
        hugeLength[7] = 0x7F;
        assertRejected(hugeLength, "does not fit");
    }

    @Test
    void sha256_equalsDigestOfEncodedBytes() throws Exception {
        List<Tensor> tensors = List.of(f32("x", List.of(2L), 1f, 2f), f32("a", List.of(), 3f));

        byte[] streamed = SafetensorsWriter.sha256(tensors, Map.of("k", "v"));

        assertThat(streamed)
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(Safetensors.encode(tensors, Map.of("k", "v"))));
    }

    private static void assertRejected(byte[] bytes, String reason) {
        assertThatThrownBy(() -> Safetensors.decode(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }

    /** The data of {@code file} behind a different header, padded to a multiple of {@code align}. */
    private static byte[] withHeader(String json, byte[] file, int align) {
        long oldHeader = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong();
        byte[] text = json.getBytes(StandardCharsets.UTF_8);
        int padded = text.length + (align - (8 + text.length) % align) % align;
        ByteBuffer out = ByteBuffer.allocate(8 + padded + file.length - 8 - (int) oldHeader)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(text);
        while (out.position() < 8 + padded) {
            out.put((byte) ' ');
        }
        out.put(file, 8 + (int) oldHeader, file.length - 8 - (int) oldHeader);
        return out.array();
    }

    static Tensor f32(String name, List<Long> shape, float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return new Tensor(name, "F32", shape, b.flip());
    }
}
