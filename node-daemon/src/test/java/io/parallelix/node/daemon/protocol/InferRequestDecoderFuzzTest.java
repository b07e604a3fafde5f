package io.parallelix.node.daemon.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.driver.FuzzedDataProviderImpl;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.parallelix.node.crypto.RequestIds;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.gpu.DataType;
import io.parallelix.node.gpu.InputTensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzz tests of the infer request decoder (Jazzer). A normal build replays the committed inputs in
 * {@code InferRequestDecoderFuzzTestInputs/<method>/} (test resources); {@code scripts/fuzz.sh}
 * fuzzes for real. Seeds are the requests of InferRequestDecoderTest and the README's examples.
 * Only text is committed there: binary inputs (binary-extension bodies, findings of the generated
 * target) are {@link #binaryInputs} here, replayed in every build and, in fuzzing mode, written into
 * the fuzzer's corpus.
 */
class InferRequestDecoderFuzzTest {
    private final InferRequestDecoder decoder = new InferRequestDecoder(new Json(1 << 20).factory());

    /** Any body as pure JSON: a consistent DecodedRequest or a BadRequest, never another exception. */
    @FuzzTest(maxDuration = "60s")
    void decode_anyJsonBody_consistentOrBadRequest(byte[] body) {
        decodeAny(body, -1);
    }

    /**
     * Any body with the binary extension. The input's first two bytes (little-endian, unsigned) are
     * the Inference-Header-Content-Length, so 0 and lengths past the body are tried too; the rest is
     * the body.
     */
    @FuzzTest(maxDuration = "60s")
    void decode_anyBinaryBody_consistentOrBadRequest(byte[] input) {
        if (input.length < 2) {
            return;
        }
        int jsonLength = (input[0] & 0xff) | (input[1] & 0xff) << 8;
        decodeAny(Arrays.copyOfRange(input, 2, input.length), jsonLength);
    }

    /**
     * Mostly valid requests (random names, datatypes, shapes, values, key order, escapes, nesting,
     * binary sections): each value comes back as its exact little-endian bytes, and a request with a
     * planted defect is refused with a BadRequest.
     */
    @FuzzTest(maxDuration = "60s")
    void decode_generatedRequest_givesExactlyTheEncodedValues(FuzzedDataProvider data) {
        GeneratedRequest g = GeneratedRequest.generate(data);
        String text = new String(g.body(), StandardCharsets.UTF_8);
        if (!g.defects().isEmpty()) {
            assertThat(catchThrowable(() -> decoder.decode(g.body(), g.jsonLength())))
                    .as("%s planted in %s", g.defects(), text)
                    .isInstanceOf(ApiException.BadRequest.class);
            return;
        }
        DecodedRequest r = decoder.decode(g.body(), g.jsonLength());

        assertThat(r.requestId()).as(text).isEqualTo(g.id());
        assertThat(r.outputs()).as(text).isEqualTo(g.outputs());
        assertThat(r.modelSha256()).as(text).isEqualTo(g.pin());
        assertThat(r.inputs()).as(text).hasSameSizeAs(g.inputs());
        for (int i = 0; i < g.inputs().size(); i++) {
            GeneratedRequest.Input want = g.inputs().get(i);
            InputTensor got = r.inputs().get(i);
            assertThat(got.name()).as(text).isEqualTo(want.name());
            assertThat(got.datatype()).as(text).isEqualTo(want.type());
            assertThat(got.shape()).as(text).isEqualTo(want.shape());
            assertThat(bytes(got.data())).as("inputs[%d] of %s", i, text).isEqualTo(want.bytes());
        }
        assertConsistent(r, g.jsonLength() < 0);
    }

    static Stream<Arguments> binaryInputs() {
        return Stream.of(
                arguments(
                        "decode_anyBinaryBody_consistentOrBadRequest",
                        "seed-binary-fp32-bytes",
                        binaryBody(
                                "{\"id\":\"b\",\"inputs\":[{\"name\":\"a\",\"shape\":[2],\"datatype\":\"FP32\","
                                        + "\"parameters\":{\"binary_data_size\":8}},{\"name\":\"s\",\"shape\":[1],"
                                        + "\"datatype\":\"BYTES\",\"parameters\":{\"binary_data_size\":7}}]}",
                                "000040400000804003000000616263")),
                arguments(
                        "decode_anyBinaryBody_consistentOrBadRequest",
                        "seed-binary-leftover",
                        binaryBody(
                                "{\"id\":\"l\",\"inputs\":[{\"name\":\"a\",\"shape\":[1],\"datatype\":\"UINT8\","
                                        + "\"parameters\":{\"binary_data_size\":1}}]}",
                                "0506")),
                arguments(
                        "decode_anyBinaryBody_consistentOrBadRequest",
                        "seed-binary-mixed-json-and-binary",
                        binaryBody(
                                "{\"id\":\"m\",\"inputs\":[{\"name\":\"j\",\"shape\":[1],\"datatype\":\"INT16\","
                                        + "\"data\":[7]},{\"name\":\"b\",\"shape\":[2,1],\"datatype\":\"BOOL\","
                                        + "\"parameters\":{\"binary_data_size\":2,\"x\":\"y\"}},{\"name\":\"z\","
                                        + "\"shape\":[0],\"datatype\":\"FP64\",\"parameters\":{\"binary_data_size\":0}}],"
                                        + "\"outputs\":[{\"name\":\"o\"}]}",
                                "0100")),
                // findings: the fuzzer's data-provider bytes, as Jazzer wrote them (base64)
                arguments(
                        "decode_generatedRequest_givesExactlyTheEncodedValues",
                        "crash-lone-surrogate-in-bytes-element",
                        Base64.getDecoder().decode("XEk3NzfP/9bF//8g/2r/1tkBAO8AAAAAYAAA")),
                arguments(
                        "decode_generatedRequest_givesExactlyTheEncodedValues",
                        "oracle-lone-surrogate-in-binary-bytes",
                        Base64.getDecoder()
                                .decode(
                                        "IQAuB0xMTExMTExMTExMTExMTExMTExMTExMTExMTExMpBcXF0xMTExMTExMTExMTExMTExMTAE=")));
    }

    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("binaryInputs")
    void binaryInputs_replayed(String target, String name, byte[] input) {
        switch (target) {
            case "decode_anyBinaryBody_consistentOrBadRequest" -> decode_anyBinaryBody_consistentOrBadRequest(input);
            case "decode_generatedRequest_givesExactlyTheEncodedValues" ->
                decode_generatedRequest_givesExactlyTheEncodedValues(FuzzedDataProviderImpl.withJavaData(input));
            default -> throw new IllegalArgumentException("no fuzz target " + target);
        }
    }

    /** In fuzzing mode (JAZZER_FUZZ, scripts/fuzz.sh) the binary inputs join the generated corpus. */
    @BeforeAll
    static void seedCorpus() throws IOException {
        if (System.getenv("JAZZER_FUZZ") != null) {
            for (Arguments a : binaryInputs().toList()) {
                Path dir = Path.of(".cifuzz-corpus", InferRequestDecoderFuzzTest.class.getName(), (String) a.get()[0]);
                Files.write(Files.createDirectories(dir).resolve((String) a.get()[1]), (byte[]) a.get()[2]);
            }
        }
    }

    /** The binary target's input: the JSON header's length (2 bytes, little-endian), JSON, tensor bytes. */
    private static byte[] binaryBody(String json, String tensorHex) {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        byte[] tensors = HexFormat.of().parseHex(tensorHex);
        return ByteBuffer.allocate(2 + header.length + tensors.length)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) header.length)
                .put(header)
                .put(tensors)
                .array();
    }

    private void decodeAny(byte[] body, int jsonLength) {
        DecodedRequest r;
        try {
            r = decoder.decode(body, jsonLength);
        } catch (ApiException.BadRequest e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(jsonLength).isBetween(-1, body.length).isNotZero();
        assertConsistent(r, jsonLength < 0);
    }

    /**
     * What every decoded request satisfies: a valid id, 1-256 inputs, at most 256 distinct outputs (so
     * the work per request is bounded), a lower-case
     * pin, and data that fits each shape (fixed-size types: elements x size bytes; from JSON, BOOL
     * bytes are 0/1 and BYTES parse as exactly that many length-prefixed UTF-8 strings).
     */
    static void assertConsistent(DecodedRequest r, boolean fromJson) {
        assertThat(RequestIds.isValid(r.requestId())).isTrue();
        assertThat(r.inputs()).isNotEmpty().hasSizeLessThanOrEqualTo(InferRequestDecoder.MAX_INPUTS);
        assertThat(r.outputs()).hasSizeLessThanOrEqualTo(InferRequestDecoder.MAX_OUTPUTS);
        assertThat(new HashSet<>(r.outputs())).hasSameSizeAs(r.outputs());
        if (r.modelSha256() != null) {
            assertThat(r.modelSha256()).matches("[0-9a-f]{64}");
        }
        for (InputTensor in : r.inputs()) {
            assertThat(in.shape()).hasSizeLessThanOrEqualTo(InferRequestDecoder.MAX_RANK);
            long elements = 1;
            for (long d : in.shape()) {
                assertThat(d).isNotNegative();
                elements = Math.multiplyExact(elements, d);
            }
            assertThat(elements).isLessThanOrEqualTo(Integer.MAX_VALUE);
            assertThat(in.data().isReadOnly()).as("%s is read-only", in.name()).isTrue();
            byte[] data = bytes(in.data());
            if (in.datatype() != DataType.BYTES) {
                assertThat((long) data.length)
                        .as(in.name())
                        .isEqualTo(elements * in.datatype().byteSize());
            } else if (fromJson) {
                assertBytesLayout(data, elements);
            }
            if (in.datatype() == DataType.BOOL && fromJson) {
                for (byte b : data) {
                    assertThat(b).isBetween((byte) 0, (byte) 1);
                }
            }
        }
    }

    /** An independent reading of the OIP BYTES layout: per element a u32 LE length, then UTF-8. */
    private static void assertBytesLayout(byte[] data, long elements) {
        ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        for (long k = 0; k < elements; k++) {
            assertThat(in.remaining()).as("length of element %d", k).isGreaterThanOrEqualTo(4);
            int length = in.getInt();
            assertThat(length).isBetween(0, in.remaining());
            byte[] utf8 = new byte[length];
            in.get(utf8);
            try {
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(utf8));
            } catch (CharacterCodingException e) {
                throw new AssertionError(
                        "element " + k + " is not UTF-8: " + HexFormat.of().formatHex(utf8), e);
            }
        }
        assertThat(in.remaining()).as("bytes after the last element").isZero();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
