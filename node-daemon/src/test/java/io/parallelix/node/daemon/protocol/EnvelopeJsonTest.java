package io.parallelix.node.daemon.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.gpu.RuntimeFingerprint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeJsonTest {
    private final ObjectMapper mapper = new Json(1 << 20).mapper();
    private final EnvelopeJson writer = new EnvelopeJson(mapper);

    private byte[] written(Envelope e) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(e, out);
        return out.toByteArray();
    }

    private static Envelope envelope(Random random, int resultBytes, RuntimeFingerprint runtime, String provider) {
        byte[] result = new byte[resultBytes];
        random.nextBytes(result);
        byte[] sig = new byte[1 + random.nextInt(512)];
        random.nextBytes(sig);
        return new Envelope(
                "req_" + random.nextInt(1_000_000),
                "ab".repeat(32),
                result,
                Envelope.RESULT_FORMAT,
                "cd".repeat(32),
                sig,
                random.nextBoolean() ? "PS256" : "RS256",
                1,
                new EnvelopeMeta(
                        "model-" + random.nextInt(100),
                        "ef".repeat(32),
                        "01".repeat(32),
                        new StageTimings(
                                random.nextLong(), 30, 1, 8, 41, 9, 1350, Math.abs(random.nextLong() % 100_000)),
                        runtime,
                        provider));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void write_randomEnvelopes_sameBytesAsTheMapper(long seed) throws IOException {
        Random random = new Random(seed);
        RuntimeFingerprint cpu = new RuntimeFingerprint("1.29.0", "CPUExecutionProvider", null, null, null, null, true);
        for (int n = 0; n < 50; n++) {
            int size = n < 10 ? n : random.nextInt(n < 45 ? 4096 : 300_000); // every padding, and large
            Envelope e = envelope(random, size, cpu, "SunRsaSign");
            assertThat(written(e)).as("seed %d, envelope %d", seed, n).isEqualTo(mapper.writeValueAsBytes(e));
        }
    }

    @Test
    void write_nullsAndStringsThatNeedEscaping_sameBytesAsTheMapper() throws IOException {
        Random random = new Random(42);
        RuntimeFingerprint odd = new RuntimeFingerprint(
                "1.29.0",
                "CUDAExecutionProvider",
                "NVIDIA \"H100\" \\ 80GB\n\u00e9\u2603",
                "550.54",
                "12.4",
                null,
                false);
        for (Envelope e : new Envelope[] {
            envelope(random, 100, null, null), envelope(random, 0, odd, "AmazonCorrettoCryptoProvider 2.5.0\t\u0001")
        }) {
            assertThat(written(e)).isEqualTo(mapper.writeValueAsBytes(e));
        }
    }

    @Test
    void sizeHint_coversTypicalEnvelopes() throws IOException {
        Random random = new Random(7);
        RuntimeFingerprint cpu = new RuntimeFingerprint("1.29.0", "CPUExecutionProvider", null, null, null, null, true);
        for (int size : new int[] {0, 280, 24_864, 196_904}) {
            Envelope e = envelope(random, size, cpu, "SunRsaSign");
            assertThat(EnvelopeJson.sizeHint(e)).isGreaterThanOrEqualTo(written(e).length);
        }
    }
}
