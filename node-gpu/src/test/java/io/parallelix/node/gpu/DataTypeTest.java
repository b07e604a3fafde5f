package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DataTypeTest {
    @Test
    void fromOipName_everyName_roundTrips() {
        for (DataType type : DataType.values()) {
            assertThat(DataType.fromOipName(type.oipName())).contains(type);
        }
    }

    @Test
    void fromOipName_unknownOrWrongCase_empty() {
        assertThat(DataType.fromOipName("fp32")).isEmpty();
        assertThat(DataType.fromOipName("UINT16")).isEmpty();
        assertThat(DataType.fromOipName("")).isEmpty();
    }

    @Test
    void safetensorsDtype_bytesStoredAsU8() {
        assertThat(DataType.BYTES.safetensorsDtype()).isEqualTo("U8");
        assertThat(DataType.BYTES.byteSize()).isEqualTo(-1);
        assertThat(DataType.BF16.safetensorsDtype()).isEqualTo("BF16");
    }
}
