package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class TensorSetTest {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    @Test
    void build_directBuffer_usedInPlaceWithoutCopy() throws Exception {
        ByteBuffer body = ByteBuffer.allocateDirect(64);
        ByteBuffer slice = body.position(16).limit(32).slice().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        slice.putFloat(0, 1.5f);
        ValidInput in = new ValidInput("x", DataType.FP32, List.of(4L), slice, List.of());

        try (TensorSet set = TensorSet.build(ENV, new DirectBuffers(1 << 20), List.of(in))) {
            OnnxTensor tensor = set.byName().get("x");
            assertThat(tensor.ownsBuffer()).isFalse();
            assertThat(tensor.getBufferRef()).isPresent();
            slice.putFloat(4, 2.5f); // ORT reads the very memory the caller handed in
            assertThat(tensor.getFloatBuffer().get(1)).isEqualTo(2.5f);
        }
    }

    @Test
    void build_heapBuffer_copiedOnceIntoDirectMemory() throws Exception {
        ByteBuffer heap = ByteBuffer.allocate(8);
        ValidInput in = new ValidInput("x", DataType.INT64, List.of(1L), heap, List.of());

        try (TensorSet set = TensorSet.build(ENV, new DirectBuffers(1 << 20), List.of(in))) {
            assertThat(set.byName().get("x").getBufferRef().orElseThrow().isDirect())
                    .isTrue();
        }
        assertThat(heap.position()).isZero();
    }

    @Test
    void build_strings_becomeAStringTensor() throws Exception {
        ValidInput in = new ValidInput("s", DataType.BYTES, List.of(2L), ByteBuffer.allocate(0), List.of("a", "é"));

        try (TensorSet set = TensorSet.build(ENV, new DirectBuffers(1 << 20), List.of(in))) {
            assertThat((String[]) set.byName().get("s").getValue()).containsExactly("a", "é");
        }
    }
}
