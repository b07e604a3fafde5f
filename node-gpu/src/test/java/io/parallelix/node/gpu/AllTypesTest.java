package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelix.node.gpu.testing.TestModels;
import io.parallelix.node.gpu.testing.TestTensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every OIP datatype through an Identity model: what goes in comes out, byte for byte. */
class AllTypesTest {
    /** 2x2 values per type, including each type's extremes; BYTES as strings. */
    static final Map<DataType, byte[]> VALUES = Map.of(
            DataType.BOOL, new byte[] {1, 0, 0, 1},
            DataType.UINT8, new byte[] {0, (byte) 255, 7, (byte) 128},
            DataType.INT8, new byte[] {-128, 127, 0, -1},
            DataType.INT16,
                    le(
                            b -> b.putShort(Short.MIN_VALUE)
                                    .putShort(Short.MAX_VALUE)
                                    .putShort((short) 1)
                                    .putShort((short) -2),
                            8),
            DataType.INT32,
                    le(
                            b -> b.putInt(Integer.MIN_VALUE)
                                    .putInt(Integer.MAX_VALUE)
                                    .putInt(3)
                                    .putInt(-4),
                            16),
            DataType.INT64,
                    le(
                            b -> b.putLong(Long.MIN_VALUE)
                                    .putLong(Long.MAX_VALUE)
                                    .putLong(5)
                                    .putLong(-6),
                            32),
            DataType.FP16,
                    le(
                            b -> b.putShort(Float.floatToFloat16(1.5f))
                                    .putShort(Float.floatToFloat16(-2f))
                                    .putShort(Float.floatToFloat16(65504f))
                                    .putShort(Float.floatToFloat16(0.0009765625f)),
                            8),
            DataType.BF16,
                    le(
                            b -> b.putShort(ConfigValues.toBfloat16(1.5f))
                                    .putShort(ConfigValues.toBfloat16(-2f))
                                    .putShort(ConfigValues.toBfloat16(3.0e38f))
                                    .putShort(ConfigValues.toBfloat16(0.25f)),
                            8),
            DataType.FP32,
                    le(
                            b -> b.putFloat(1.5f)
                                    .putFloat(-2.25f)
                                    .putFloat(Float.MAX_VALUE)
                                    .putFloat(Float.MIN_VALUE),
                            16),
            DataType.FP64,
                    le(
                            b -> b.putDouble(1.5)
                                    .putDouble(-2.25)
                                    .putDouble(Double.MAX_VALUE)
                                    .putDouble(Double.MIN_VALUE),
                            32));

    static final String[] STRINGS = {"héllo", "", "日本", "a b"};

    @TempDir
    Path models;

    @Test
    void infer_everyDatatype_identityRoundTrip() throws Exception {
        TestModels.writeAllTypes(models);
        try (InferenceEngine engine = InferenceEngine.open(TestModels.cpuConfig(models))) {
            Safetensors.File file = Safetensors.decode(engine.infer(request()).safetensors());

            for (DataType type : VALUES.keySet()) {
                Safetensors.Tensor t = tensor(file, "out_" + suffix(type));
                assertThat(t.dtype()).as("%s", type).isEqualTo(type.safetensorsDtype());
                assertThat(t.shape()).as("%s", type).containsExactly(2L, 2L);
                assertThat(bytes(t.data())).as("%s", type).isEqualTo(VALUES.get(type));
            }
            Safetensors.Tensor strings = tensor(file, "out_bytes");
            assertThat(strings.dtype()).isEqualTo("U8");
            assertThat(bytes(strings.data())).isEqualTo(TestTensors.bytesLayout(STRINGS));
            assertThat(file.metadata())
                    .containsEntry("oip_bytes:out_bytes", "[2,2]")
                    .containsEntry("oip_bytes", CanonicalTensors.BYTES_NOTE)
                    .containsEntry("model", "alltypes");
        }
    }

    static InferenceRequest request() {
        List<InputTensor> inputs = new ArrayList<>();
        for (DataType type : VALUES.keySet()) {
            inputs.add(TestTensors.raw("in_" + suffix(type), type, List.of(2L, 2L), VALUES.get(type)));
        }
        inputs.add(TestTensors.bytes("in_bytes", List.of(2L, 2L), STRINGS));
        return new InferenceRequest(
                "types",
                TestModels.ALL_TYPES_MODEL,
                inputs,
                List.of(),
                Instant.now().plusSeconds(30));
    }

    static String suffix(DataType type) {
        return TestModels.ALL_TYPES.get(List.of(DataType.values()).indexOf(type));
    }

    private static Safetensors.Tensor tensor(Safetensors.File file, String name) {
        return file.tensors().stream()
                .filter(t -> t.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static byte[] bytes(ByteBuffer data) {
        byte[] out = new byte[data.remaining()];
        data.duplicate().get(out);
        return out;
    }

    private static byte[] le(java.util.function.Consumer<ByteBuffer> fill, int size) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        fill.accept(b);
        return b.array();
    }
}
