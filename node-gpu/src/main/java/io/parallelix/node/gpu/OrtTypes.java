package io.parallelix.node.gpu;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import java.util.Optional;

/**
 * OIP datatypes and ONNX element types. Mapped from the ONNX type, not ORT's Java type, which
 * folds UINT16/32/64 into the signed types; ONNX types OIP lacks here have no datatype.
 */
final class OrtTypes {
    private OrtTypes() {}

    static Optional<DataType> toDataType(OnnxTensorType type) {
        return Optional.ofNullable(
                switch (type) {
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> DataType.BOOL;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> DataType.UINT8;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> DataType.INT8;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> DataType.INT16;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> DataType.INT32;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> DataType.INT64;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> DataType.FP16;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16 -> DataType.BF16;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> DataType.FP32;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> DataType.FP64;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> DataType.BYTES;
                    default -> null;
                });
    }

    static OnnxJavaType toOrt(DataType type) {
        return switch (type) {
            case BOOL -> OnnxJavaType.BOOL;
            case UINT8 -> OnnxJavaType.UINT8;
            case INT8 -> OnnxJavaType.INT8;
            case INT16 -> OnnxJavaType.INT16;
            case INT32 -> OnnxJavaType.INT32;
            case INT64 -> OnnxJavaType.INT64;
            case FP16 -> OnnxJavaType.FLOAT16;
            case BF16 -> OnnxJavaType.BFLOAT16;
            case FP32 -> OnnxJavaType.FLOAT;
            case FP64 -> OnnxJavaType.DOUBLE;
            case BYTES -> OnnxJavaType.STRING;
        };
    }
}
