package io.parallelix.node.gpu;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.TensorInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A model's inputs or outputs as TensorSpecs; non-tensor values and types OIP lacks refuse the model. */
final class ModelSpecs {
    private ModelSpecs() {}

    static List<TensorSpec> of(String model, String kind, Map<String, NodeInfo> infos) throws EngineException {
        List<TensorSpec> specs = new ArrayList<>();
        for (NodeInfo node : infos.values()) {
            if (!(node.getInfo() instanceof TensorInfo info)) {
                throw new EngineException("model '" + model + "' " + kind + " '" + node.getName() + "' is "
                        + node.getInfo() + "; only tensors are supported. Fix: export the model with tensor " + kind
                        + "s.");
            }
            DataType type = OrtTypes.toDataType(info.onnxType)
                    .orElseThrow(() -> new EngineException("model '" + model + "' " + kind + " '" + node.getName()
                            + "' has element type " + info.onnxType
                            + ", which the node does not serve (OIP types: BOOL,"
                            + " UINT8, INT8, INT16, INT32, INT64, FP16, BF16, FP32, FP64, BYTES). Fix: export the model"
                            + " with one of those types."));
            List<Long> shape = new ArrayList<>();
            for (long d : info.getShape()) {
                shape.add(d < 0 ? -1L : d);
            }
            specs.add(new TensorSpec(node.getName(), type, shape));
        }
        return specs;
    }
}
