package io.parallelix.node.gpu;

import java.util.Optional;

/** Open Inference Protocol tensor datatypes, with their element size and safetensors dtype. */
public enum DataType {
    BOOL(1, "BOOL"),
    UINT8(1, "U8"),
    INT8(1, "I8"),
    INT16(2, "I16"),
    INT32(4, "I32"),
    INT64(8, "I64"),
    FP16(2, "F16"),
    BF16(2, "BF16"),
    FP32(4, "F32"),
    FP64(8, "F64"),
    /** Variable-length elements; raw layout per OIP: 4-byte little-endian length, then the bytes. */
    BYTES(-1, "U8");

    private final int byteSize;
    private final String safetensorsDtype;

    DataType(int byteSize, String safetensorsDtype) {
        this.byteSize = byteSize;
        this.safetensorsDtype = safetensorsDtype;
    }

    /** Bytes per element; -1 for BYTES. */
    public int byteSize() {
        return byteSize;
    }

    public String safetensorsDtype() {
        return safetensorsDtype;
    }

    /** The OIP name ("FP32", ...). */
    public String oipName() {
        return name();
    }

    /** Exact, case-sensitive: OIP spells datatypes in upper case. */
    public static Optional<DataType> fromOipName(String name) {
        for (DataType type : values()) {
            if (type.name().equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
