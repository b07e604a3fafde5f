package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class DirectBuffersTest {
    @Test
    void take_afterGive_reusesTheBufferOfThatSizeClass() {
        DirectBuffers buffers = new DirectBuffers(1 << 20);

        ByteBuffer first = buffers.take(5000);
        buffers.give(first);
        ByteBuffer second = buffers.take(6000);

        assertThat(second).isSameAs(first);
        assertThat(second.isDirect()).isTrue();
        assertThat(second.capacity()).isEqualTo(8192);
        assertThat(second.position()).isZero();
        assertThat(second.limit()).isEqualTo(6000);
        assertThat(second.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void give_beyondTheRetentionBound_dropsTheBuffer() {
        DirectBuffers buffers = new DirectBuffers(8192);
        ByteBuffer a = buffers.take(8192);
        ByteBuffer b = buffers.take(8192);

        buffers.give(a);
        buffers.give(b);

        assertThat(buffers.take(8192)).isSameAs(a);
        assertThat(buffers.take(8192)).isNotSameAs(b);
    }

    @Test
    void take_hugeOrTiny_exactOrSmallestClass() {
        DirectBuffers buffers = new DirectBuffers(1 << 30);

        assertThat(buffers.take(0).capacity()).isEqualTo(4096);
        ByteBuffer huge = buffers.take((16 << 20) + 1);
        assertThat(huge.capacity()).isEqualTo((16 << 20) + 1);
        buffers.give(huge);
        assertThat(buffers.take((16 << 20) + 1)).isNotSameAs(huge);
    }
}
