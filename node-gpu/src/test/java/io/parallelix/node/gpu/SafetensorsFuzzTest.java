package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.parallelix.node.gpu.Safetensors.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzz tests of the canonical safetensors codec (Jazzer). A normal build replays the committed
 * inputs in {@code SafetensorsFuzzTestInputs/<method>/} (test resources, text only);
 * {@code scripts/fuzz.sh} fuzzes for real. The decode seeds are binary, so they are not files: they
 * are canonical files written by {@link Safetensors#encode} here ({@link #binaryInputs}: one tensor
 * of each dtype, an empty file, metadata only, escaped and non-ASCII names), replayed in every build
 * and, in fuzzing mode, written into the fuzzer's corpus.
 */
class SafetensorsFuzzTest {
    private static final List<String> DTYPES =
            List.of("BOOL", "U8", "I8", "I16", "I32", "I64", "F16", "BF16", "F32", "F64");

    static Stream<Arguments> binaryInputs() {
        List<Tensor> everyDtype = new ArrayList<>();
        for (int i = 0; i < DTYPES.size(); i++) {
            String dtype = DTYPES.get(i);
            everyDtype.add(tensor("t_" + dtype.toLowerCase(Locale.ROOT), dtype, List.of(2L, 1L + i % 3)));
        }
        return Stream.of(
                arguments("seed-empty", Safetensors.encode(List.of(), Map.of())),
                arguments("seed-metadata-only", Safetensors.encode(List.of(), Map.of("format", "pt", "model", "m"))),
                arguments(
                        "seed-every-dtype",
                        Safetensors.encode(everyDtype, Map.of("model_sha256", "ab".repeat(32), "pxnode", "0.1.0"))),
                arguments(
                        "seed-scalar-and-empty-dims",
                        Safetensors.encode(
                                List.of(
                                        tensor("none", "I64", List.of(0L, 3L)),
                                        tensor("scalar", "F32", List.of()),
                                        tensor("vec", "F16", List.of(3L))),
                                Map.of())),
                arguments(
                        "seed-escaped-names",
                        Safetensors.encode(
                                List.of(
                                        tensor("caf\u00e9", "I8", List.of(2L)),
                                        tensor("q\"uote\\back\nline\u0001", "U8", List.of(1L)),
                                        tensor("\ufffd", "F64", List.of(1L)),
                                        tensor("\ud83d\ude00", "BF16", List.of(1L, 1L))),
                                Map.of("k\t", "v\u0000/", "\u00fc", "\ud83d\ude00"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("binaryInputs")
    void binaryInputs_replayed(String name, byte[] seed) {
        assertThat(Safetensors.decode(seed).tensors()).as("a seed decodes").isNotNull();
        decode_anyBytes_rejectedOrCanonical(seed);
    }

    /** In fuzzing mode (JAZZER_FUZZ, scripts/fuzz.sh) the seeds join the generated corpus. */
    @BeforeAll
    static void seedCorpus() throws IOException {
        if (System.getenv("JAZZER_FUZZ") != null) {
            Path dir = Path.of(
                    ".cifuzz-corpus", SafetensorsFuzzTest.class.getName(), "decode_anyBytes_rejectedOrCanonical");
            for (Arguments a : binaryInputs().toList()) {
                Files.write(Files.createDirectories(dir).resolve((String) a.get()[0]), (byte[]) a.get()[1]);
            }
        }
    }

    /** A tensor whose bytes follow a fixed pattern, so the seeds are the same in every build. */
    private static Tensor tensor(String name, String dtype, List<Long> shape) {
        byte[] data = new byte[(int) Shapes.elementCount(shape) * SafetensorsWriter.DTYPE_SIZES.get(dtype)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (dtype.equals("BOOL") ? i % 2 : i * 37 + 1);
        }
        return new Tensor(name, dtype, shape, ByteBuffer.wrap(data));
    }

    /**
     * Any bytes: decode returns or throws IllegalArgumentException, nothing else. What decodes is
     * consistent (each tensor's data spans exactly shape x dtype size) and in the one canonical form:
     * encoding the decoded tensors gives back the very same bytes.
     */
    @FuzzTest(maxDuration = "60s")
    void decode_anyBytes_rejectedOrCanonical(byte[] bytes) {
        Safetensors.File file;
        try {
            file = Safetensors.decode(bytes);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).startsWith("not a canonical safetensors file: ");
            return;
        }
        for (Tensor t : file.tensors()) {
            int size = SafetensorsWriter.DTYPE_SIZES.get(t.dtype());
            assertThat((long) t.data().remaining())
                    .as("bytes of %s", t.name())
                    .isEqualTo(Shapes.elementCount(t.shape()) * size);
        }
        assertThat(Safetensors.encode(file.tensors(), file.metadata())).isEqualTo(bytes);
    }

    /**
     * Generated tensors and metadata: encode rejects exactly what it documents (duplicate names, the
     * reserved name, strings with an unpaired surrogate), does not move the callers' buffers, and
     * decode gives back every tensor (in code-point order of names) and the metadata.
     */
    @FuzzTest(maxDuration = "60s")
    void encode_generatedTensors_decodeGivesThemBack(FuzzedDataProvider data) {
        List<Tensor> tensors = new ArrayList<>();
        int count = data.consumeInt(0, 6);
        for (int i = 0; i < count; i++) {
            tensors.add(tensor(data));
        }
        Map<String, String> metadata = new HashMap<>();
        int entries = data.consumeInt(0, 3);
        for (int i = 0; i < entries; i++) {
            metadata.put(data.consumeString(12), data.consumeString(24));
        }
        List<Integer> positions = tensors.stream().map(t -> t.data().position()).toList();

        if (mustReject(tensors, metadata)) {
            assertThatThrownBy(() -> Safetensors.encode(tensors, metadata))
                    .isInstanceOf(IllegalArgumentException.class);
            return;
        }
        byte[] bytes = Safetensors.encode(tensors, metadata);

        assertThat(tensors.stream().map(t -> t.data().position()).toList()).isEqualTo(positions);
        Safetensors.File file = Safetensors.decode(bytes);
        List<Tensor> expected = new ArrayList<>(tensors);
        expected.sort((a, b) -> CanonicalJson.CODE_POINT_ORDER.compare(a.name(), b.name()));
        assertThat(file.tensors()).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            Tensor want = expected.get(i);
            Tensor got = file.tensors().get(i);
            assertThat(got.name()).isEqualTo(want.name());
            assertThat(got.dtype()).isEqualTo(want.dtype());
            assertThat(got.shape()).isEqualTo(want.shape());
            assertThat(got.data()).as("data of %s", want.name()).isEqualTo(want.data());
        }
        assertThat(file.metadata()).isEqualTo(metadata);
    }

    /** A tensor of a valid dtype whose data is a slice in the middle of a larger buffer. */
    private static Tensor tensor(FuzzedDataProvider data) {
        String name = data.consumeInt(0, 15) == 0 ? SafetensorsWriter.METADATA_KEY : data.consumeString(16);
        String dtype = data.pickValue(DTYPES);
        int rank = data.consumeInt(0, 4);
        List<Long> shape = new ArrayList<>();
        long elements = 1;
        for (int d = 0; d < rank; d++) {
            long dim = data.consumeLong(0, 5);
            shape.add(dim);
            elements *= dim;
        }
        int length = (int) elements * SafetensorsWriter.DTYPE_SIZES.get(dtype);
        int before = data.consumeInt(0, 3);
        ByteBuffer buffer = ByteBuffer.allocate(before + length + 2);
        buffer.position(before).put(data.consumeBytes(length)).position(before).limit(before + length);
        return new Tensor(name, dtype, shape, buffer);
    }

    private static boolean mustReject(List<Tensor> tensors, Map<String, String> metadata) {
        Set<String> names = new HashSet<>();
        for (Tensor t : tensors) {
            if (!names.add(t.name()) || t.name().equals(SafetensorsWriter.METADATA_KEY) || !wellFormed(t.name())) {
                return true;
            }
        }
        return metadata.entrySet().stream().anyMatch(e -> !wellFormed(e.getKey()) || !wellFormed(e.getValue()));
    }

    private static boolean wellFormed(String s) {
        return s.codePoints().noneMatch(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE);
    }
}
