package io.parallelix.node.gpu.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The engine encodes from several worker threads at once, on one Tokenizer. */
class TokenizerConcurrencyTest {
    private static final int THREADS = 8;
    private static final int ROUNDS = 150;

    @Test
    void encodeDecode_eightThreadsAtOnce_giveTheSequentialAnswers() throws Exception {
        List<String> texts = TestTexts.varied();
        try (Tokenizer tokenizer = TestTokenizers.open(TestTokenizers.LLAMA3)) {
            List<int[]> ids = new ArrayList<>();
            List<String> decoded = new ArrayList<>();
            for (String text : texts) {
                ids.add(tokenizer.encode(text, true));
                decoded.add(tokenizer.decode(ids.getLast(), false));
            }
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    long seed = 1_000L + t;
                    done.add(pool.submit(() -> {
                        start.await();
                        Random random = new Random(seed);
                        int checked = 0;
                        for (int round = 0; round < ROUNDS; round++) {
                            int i = random.nextInt(texts.size());
                            int[] got = tokenizer.encode(texts.get(i), true);
                            assertThat(got).as("seed %d, text %d", seed, i).isEqualTo(ids.get(i));
                            assertThat(tokenizer.decode(got, false))
                                    .as("seed %d, text %d", seed, i)
                                    .isEqualTo(decoded.get(i));
                            checked++;
                        }
                        return checked;
                    }));
                }
                start.countDown();
                for (Future<Integer> f : done) {
                    assertThat(f.get(120, TimeUnit.SECONDS)).isEqualTo(ROUNDS);
                }
            } finally {
                pool.shutdownNow();
                assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    @Test
    void close_whileThreadsEncode_waitsForThemAndLaterCallsAreRefused() throws Exception {
        Tokenizer tokenizer = TestTokenizers.open(TestTokenizers.LLAMA3);
        String text = TestTexts.longText(600);
        int[] want = tokenizer.encode(text, true);
        AtomicInteger right = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch running = new CountDownLatch(THREADS);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                done.add(pool.submit(() -> {
                    running.countDown();
                    while (true) {
                        try {
                            assertThat(tokenizer.encode(text, true)).isEqualTo(want);
                            right.incrementAndGet();
                        } catch (IllegalStateException e) {
                            assertThat(e).hasMessageContaining("is closed");
                            refused.incrementAndGet();
                            return null;
                        }
                    }
                }));
            }
            assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(200);
            tokenizer.close();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(refused.get()).isEqualTo(THREADS);
        assertThat(right.get()).isPositive();
    }
}
