package io.parallelix.node.daemon.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.parallelix.node.gpu.text.Tokenizer;
import java.nio.LongBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The embeddings limit: what a request costs without the node around it. Per call: the texts
 * tokenized by the same tokenizer library, padded into [batch, length] INT64 tensors, one ONNX
 * Runtime run (OrtLimit: the engine's session options and run permits, outputs not read), then one
 * signature over as many bytes as the node's answer (OrtLimit.sign). No pooling, JSON, PoE or HTTP.
 */
final class EmbeddingLimit {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final Tokenizer tokenizer;
    private final OrtLimit ort;
    private final EmbeddingWorkload workload;

    EmbeddingLimit(Tokenizer tokenizer, OrtLimit ort, EmbeddingWorkload workload) {
        this.tokenizer = tokenizer;
        this.ort = ort;
        this.workload = workload;
    }

    void run() throws OrtException, InterruptedException {
        int[][] ids = new int[workload.texts().size()][];
        int length = 0;
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tokenizer.encode(workload.texts().get(i), true);
            length = Math.max(length, ids[i].length);
        }
        long[] tokens = new long[ids.length * length];
        long[] mask = new long[ids.length * length];
        for (int i = 0; i < ids.length; i++) {
            for (int t = 0; t < ids[i].length; t++) {
                tokens[i * length + t] = ids[i][t];
                mask[i * length + t] = 1;
            }
        }
        long[] shape = {ids.length, length};
        Map<String, OnnxTensor> in = new LinkedHashMap<>();
        try {
            in.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(tokens), shape));
            in.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            in.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[tokens.length]), shape));
            ort.run(in);
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    void sign() throws java.security.GeneralSecurityException {
        ort.sign();
    }
}
