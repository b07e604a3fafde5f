package io.parallelix.node.gpu;

/**
 * The canonical result of a request: a safetensors file (see {@link Safetensors}) whose bytes are
 * a function of model, inputs and output values alone. Timings are in nanoseconds: waiting for a
 * session instance, building input tensors, the ORT run, and canonical encoding. The bytes go
 * to the wire as they are; results are compared by their bytes, never by record equality.
 */
@SuppressWarnings("ArrayRecordComponent")
public record InferenceResult(
        byte[] safetensors,
        String modelSha256,
        String inputsSha256,
        String provider,
        long waitNanos,
        long tensorNanos,
        long runNanos,
        long encodeNanos) {}
