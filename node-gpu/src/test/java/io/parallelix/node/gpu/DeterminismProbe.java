package io.parallelix.node.gpu;

import io.parallelix.node.gpu.testing.OnnxGraph;
import io.parallelix.node.gpu.testing.TestModels;
import io.parallelix.node.gpu.testing.TestTensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** A generated model with real arithmetic (two dense layers, softmax) for determinism checks. */
final class DeterminismProbe {
    static final String MLP = "mlp";
    static final int WIDTH = 256;
    static final int HIDDEN = 1024;

    private DeterminismProbe() {}

    static Path writeMlp(Path modelsDir, long seed) {
        Random random = new Random(seed);
        OnnxGraph g = new OnnxGraph(MLP)
                .input("x", OnnxGraph.FLOAT, "batch", WIDTH)
                .output("y", OnnxGraph.FLOAT, "batch", WIDTH)
                .initializer("w1", OnnxGraph.FLOAT, new long[] {WIDTH, HIDDEN}, randomFloats(random, WIDTH * HIDDEN))
                .initializer("b1", OnnxGraph.FLOAT, new long[] {HIDDEN}, randomFloats(random, HIDDEN))
                .initializer("w2", OnnxGraph.FLOAT, new long[] {HIDDEN, WIDTH}, randomFloats(random, HIDDEN * WIDTH))
                .node("MatMul", List.of("x", "w1"), List.of("h"))
                .node("Add", List.of("h", "b1"), List.of("hb"))
                .node("Relu", List.of("hb"), List.of("r"))
                .node("MatMul", List.of("r", "w2"), List.of("z"))
                .node("Softmax", List.of("z"), List.of("y"));
        return TestModels.writeModel(modelsDir, MLP, g.toModel(17));
    }

    static InferenceRequest mlpRequest(int batch, long seed) {
        Random random = new Random(seed);
        float[] x = new float[batch * WIDTH];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return InferenceEngineTest.request(MLP, List.of(TestTensors.fp32("x", List.of((long) batch, (long) WIDTH), x)));
    }

    private static byte[] randomFloats(Random random, int count) {
        ByteBuffer b = ByteBuffer.allocate(4 * count).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            b.putFloat((float) (random.nextGaussian() / Math.sqrt(WIDTH)));
        }
        return b.array();
    }
}
