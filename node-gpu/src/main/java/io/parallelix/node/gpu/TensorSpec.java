package io.parallelix.node.gpu;

import java.util.List;

/** A model input or output as ONNX Runtime reports it; a dimension of -1 is dynamic. */
public record TensorSpec(String name, DataType datatype, List<Long> shape) {}
