package io.parallelix.node.gpu.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PhiloxTest {
    @Test
    void block_random123KnownAnswers_match() {
        // Random123 tests/kat_vectors, philox4x32_10 lines
        assertThat(Philox.block(0, 0, 0, 0, 0, 0)).containsExactly(0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8);
        assertThat(Philox.block(-1, -1, -1, -1, -1, -1))
                .containsExactly(0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd);
        assertThat(Philox.block(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0))
                .containsExactly(0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1);
    }

    @Test
    void domainWords_areTheAsciiBytesPxsampv1LittleEndian() {
        ByteBuffer b =
                ByteBuffer.wrap("pxsampv1".getBytes(StandardCharsets.US_ASCII)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt()).isEqualTo(Philox.DOMAIN_2);
        assertThat(b.getInt()).isEqualTo(Philox.DOMAIN_3);
    }

    @Test
    void uniform53_anySeedChoiceStep_isTheTopBitsOfTheBlockForItsCounter() {
        SplittableRandom random = new SplittableRandom(53);
        for (int i = 0; i < 10_000; i++) {
            long seed = random.nextLong();
            int choice = random.nextInt(0, 128);
            int step = random.nextInt(0, Integer.MAX_VALUE);
            int[] x = Philox.block(step, choice, Philox.DOMAIN_2, Philox.DOMAIN_3, (int) seed, (int) (seed >>> 32));
            long expected = ((x[0] & 0xFFFF_FFFFL) << 21) | ((x[1] & 0xFFFF_FFFFL) >>> 11);
            assertThat(Philox.uniform53(seed, choice, step)).as("seed %d", seed).isEqualTo(expected);
        }
    }

    @Test
    void uniform53_neighbouringCounters_giveDistinct53BitValues() {
        Set<Long> seen = new HashSet<>();
        for (long seed : new long[] {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE}) {
            for (int choice = 0; choice < 8; choice++) {
                for (int step = 0; step < 256; step++) {
                    long u = Philox.uniform53(seed, choice, step);
                    assertThat(u).isBetween(0L, (1L << 53) - 1);
                    seen.add(u);
                }
            }
        }
        assertThat(seen).hasSize(5 * 8 * 256);
    }
}
