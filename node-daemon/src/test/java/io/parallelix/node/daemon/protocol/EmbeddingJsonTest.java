package io.parallelix.node.daemon.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.testing.RepoRoot;
import io.parallelix.node.testing.Subprocess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingJsonTest {
    /** RFC 8259's number grammar. */
    private static final EmbeddingsRequest.Encoding FLOAT = EmbeddingsRequest.Encoding.FLOAT;

    private static final EmbeddingsRequest.Encoding BASE64 = EmbeddingsRequest.Encoding.BASE64;
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private static String write(List<float[]> v, EmbeddingsRequest.Encoding e) {
        return new String(EmbeddingJson.write("m-1", v, e, 7), StandardCharsets.UTF_8);
    }

    @Test
    void write_float_isOpenAisShapeWithNoWhitespace() {
        assertThat(write(List.of(new float[] {1f, -0.5f, 1e-7f}, new float[] {0f, -0f, 3.4028235e38f}), FLOAT))
                .isEqualTo("{\"object\":\"list\",\"data\":["
                        + "{\"object\":\"embedding\",\"index\":0,\"embedding\":[1.0,-0.5,1.0E-7]},"
                        + "{\"object\":\"embedding\",\"index\":1,\"embedding\":[0.0,-0.0,3.4028235E38]}],"
                        + "\"model\":\"m-1\",\"usage\":{\"prompt_tokens\":7,\"total_tokens\":7}}");
    }

    @Test
    void write_base64_isLittleEndianFloat32() {
        // 1.0f = 00 00 80 3f, -2.0f = 00 00 00 c0
        assertThat(write(List.of(new float[] {1f, -2f}), BASE64))
                .isEqualTo("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":"
                        + "\"AACAPwAAAMA=\"}],\"model\":\"m-1\",\"usage\":{\"prompt_tokens\":7,\"total_tokens\":7}}");
    }

    @Test
    void write_nonFinite_isRefusedInBothEncodings() {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            for (EmbeddingsRequest.Encoding e : EmbeddingsRequest.Encoding.values()) {
                assertThatThrownBy(() -> write(List.of(new float[] {0f, bad}), e))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("embedding 0");
            }
        }
    }

    @Test
    void write_modelNameIsAJsonString() {
        String body = new String(
                EmbeddingJson.write("a\"b\\c\u0001", List.of(new float[] {1f}), FLOAT, 1), StandardCharsets.UTF_8);
        assertThat(body).contains("\"model\":\"a\\\"b\\\\c\\u0001\"");
    }

    /** Seeded: every finite float32 bit pattern kind (subnormals, extremes) reads back to the same bits. */
    @Test
    void floats_randomBitPatterns_areJsonNumbersThatRoundTripExactly() {
        long seed = new Random().nextLong();
        Random r = new Random(seed);
        for (int i = 0; i < 200_000; i++) {
            float f = Float.intBitsToFloat(r.nextInt());
            if (!Float.isFinite(f)) {
                continue;
            }
            String s = Float.toString(f);
            assertThat(JSON_NUMBER.matcher(s).matches())
                    .as("seed %d: %s", seed, s)
                    .isTrue();
            assertThat(Float.floatToRawIntBits(Float.parseFloat(s)))
                    .as("seed %d: %s", seed, s)
                    .isEqualTo(Float.floatToRawIntBits(f));
        }
    }

    /**
     * Independent check of "shortest" with numpy's Dragon4 (unique mode): the same digits whenever
     * the shortest form has two or more, and at most two when it has one (Java then takes the
     * closest of length 1 or 2, as its Float.toString specifies); Python's float() reads ours back
     * to the same float32.
     */
    @Test
    void floats_agreeWithNumpysShortestRepr(@TempDir Path dir) throws Exception {
        long seed = new Random().nextLong();
        Random r = new Random(seed);
        StringBuilder lines = new StringBuilder();
        float[] special = {Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, 1e-3f, 9.999999e-4f, 1e7f, 9999999f, 0.1f
        };
        for (int i = 0; i < 20_000 + special.length; i++) {
            float f = i < special.length ? special[i] : Float.intBitsToFloat(r.nextInt());
            if (Float.isFinite(f)) {
                lines.append(Integer.toUnsignedString(Float.floatToRawIntBits(f)))
                        .append(' ')
                        .append(Float.toString(f))
                        .append('\n');
            }
        }
        Path file = Files.writeString(dir.resolve("floats.txt"), lines);
        String check = """
                import sys, numpy as np
                def digits(s):
                    m = s.lower().split('e')[0].lstrip('-').replace('.', '').lstrip('0').rstrip('0')
                    return m or '0'
                bad = 0
                for line in open(sys.argv[1]):
                    bits, text = line.split()
                    f = np.array([int(bits)], dtype=np.uint32).view(np.float32)[0]
                    if np.float32(float(text)).view(np.uint32) != np.uint32(int(bits)):
                        print('no round trip', text); bad += 1; continue
                    ours, ref = digits(text), digits(np.format_float_scientific(f, unique=True))
                    if (len(ref) >= 2 and ours != ref) or (len(ref) == 1 and len(ours) > 2):
                        print('not shortest', text, np.format_float_scientific(f, unique=True)); bad += 1
                print('checked', bad)
                sys.exit(1 if bad else 0)
                """;
        Subprocess.Result py = Subprocess.of(RepoRoot.path(), "python3", "-c", check, file.toString())
                .run();
        assertThat(py.exit()).as("seed %d: %s", seed, py).isZero();
        assertThat(py.stdout()).contains("checked 0");
    }
}
