package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigValuesTest {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Test
    void toBfloat16_roundsToNearestEven() {
        assertThat(ConfigValues.toBfloat16(1.0f)).isEqualTo((short) 0x3F80);
        assertThat(ConfigValues.toBfloat16(Float.intBitsToFloat(0x3F808000))).isEqualTo((short) 0x3F80); // tie: even
        assertThat(ConfigValues.toBfloat16(Float.intBitsToFloat(0x3F818000))).isEqualTo((short) 0x3F82); // tie: even
        assertThat(ConfigValues.toBfloat16(Float.intBitsToFloat(0x3F808001))).isEqualTo((short) 0x3F81);
        assertThat(ConfigValues.toBfloat16(Float.NaN)).isEqualTo((short) 0x7FC0);
        assertThat(ConfigValues.toBfloat16(Float.POSITIVE_INFINITY)).isEqualTo((short) 0x7F80);
    }

    @Test
    void encodeThenToDoubles_everyFixedType_roundTrips() {
        List<JsonNode> values = List.of(JSON.numberNode(1), JSON.numberNode(-2), JSON.numberNode(0));
        for (DataType type : List.of(
                DataType.INT8,
                DataType.INT16,
                DataType.INT32,
                DataType.INT64,
                DataType.FP16,
                DataType.BF16,
                DataType.FP32,
                DataType.FP64)) {
            ByteBuffer bytes = ConfigValues.encode(type, values);
            assertThat(ConfigValues.toDoubles(type.safetensorsDtype(), bytes))
                    .as("%s", type)
                    .containsExactly(1.0, -2.0, 0.0);
        }
    }

    @Test
    void encode_fp16_isIeeeHalf() {
        ByteBuffer bytes = ConfigValues.encode(DataType.FP16, List.of(JSON.numberNode(1.5)))
                .order(ByteOrder.LITTLE_ENDIAN);

        assertThat(bytes.getShort(0)).isEqualTo((short) 0x3E00);
    }
}
