package io.parallelix.node.daemon.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.gpu.DataType;
import io.parallelix.node.gpu.InputTensor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InferRequestDecoderTest {
    private final InferRequestDecoder decoder = new InferRequestDecoder(new Json(1 << 20).factory());

    private DecodedRequest decode(String json) {
        return decoder.decode(json.getBytes(StandardCharsets.UTF_8), -1);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Test
    void decode_fp32Json_givesLittleEndianBytesAndFields() {
        DecodedRequest r = decode("""
                {"id":"req-1","inputs":[{"name":"a","shape":[1,2],"datatype":"FP32","data":[[1.5,-2]]}],
                 "outputs":[{"name":"sum"}],"parameters":{"model_sha256":"%s"}}""".formatted("AB".repeat(32)));
        assertThat(r.requestId()).isEqualTo("req-1");
        assertThat(r.outputs()).containsExactly("sum");
        assertThat(r.modelSha256()).isEqualTo("ab".repeat(32));
        InputTensor a = r.inputs().get(0);
        assertThat(a.name()).isEqualTo("a");
        assertThat(a.datatype()).isEqualTo(DataType.FP32);
        assertThat(a.shape()).containsExactly(1L, 2L);
        ByteBuffer expected = ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putFloat(1.5f)
                .putFloat(-2f);
        assertThat(bytes(a.data())).isEqualTo(expected.array());
    }

    @Test
    void decode_dataBeforeDatatype_stillDecodes() {
        DecodedRequest r = decode("""
                {"inputs":[{"data":[1,2,3],"name":"x","shape":[3],"datatype":"INT64"}],"id":"r"}""");
        ByteBuffer expected = ByteBuffer.allocate(24)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(1)
                .putLong(2)
                .putLong(3);
        assertThat(bytes(r.inputs().get(0).data())).isEqualTo(expected.array());
    }

    @Test
    void decode_everyDatatype_encodesElements() {
        record Case(String type, String data, byte[] expected) {}
        List<Case> cases = List.of(
                new Case("BOOL", "[true,false]", new byte[] {1, 0}),
                new Case("UINT8", "[0,255]", new byte[] {0, (byte) 255}),
                new Case("INT8", "[-128,127]", new byte[] {(byte) 0x80, 0x7f}),
                new Case("INT16", "[-2,1]", le(2, -2, 1)),
                new Case("INT32", "[-2,1]", le(4, -2, 1)),
                new Case("INT64", "[-2,1]", le(8, -2, 1)),
                new Case("FP16", "[1,-2]", le(2, 0x3C00, 0xC000)),
                new Case("BF16", "[1,-2]", le(2, 0x3F80, 0xC000)),
                new Case("FP64", "[1,-2]", le(8, Double.doubleToLongBits(1), Double.doubleToLongBits(-2))),
                new Case("BYTES", "[\"hi\",\"\"]", new byte[] {2, 0, 0, 0, 'h', 'i', 0, 0, 0, 0}));
        for (Case c : cases) {
            DecodedRequest r = decode("{\"id\":\"r\",\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"" + c.type
                    + "\",\"data\":" + c.data + "}]}");
            assertThat(bytes(r.inputs().get(0).data())).as(c.type).isEqualTo(c.expected);
        }
    }

    private static byte[] le(int size, long... values) {
        ByteBuffer b = ByteBuffer.allocate(size * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            switch (size) {
                case 2 -> b.putShort((short) v);
                case 4 -> b.putInt((int) v);
                default -> b.putLong(v);
            }
        }
        return b.array();
    }

    @Test
    void toBfloat16_roundsToNearestEven() {
        // 1 + 2^-8 lies halfway between bf16 1.0 and 1.0078125: ties to even → 1.0
        assertThat(JsonElements.toBfloat16(1f + 0x1p-8f)).isEqualTo((short) 0x3F80);
        // just above halfway rounds up
        assertThat(JsonElements.toBfloat16(1f + 0x1p-8f + 0x1p-16f)).isEqualTo((short) 0x3F81);
    }

    @Test
    void decode_binaryExtension_slicesTheBodyInInputOrder() {
        String json = """
                {"id":"b","inputs":[{"name":"a","shape":[2],"datatype":"FP32","parameters":{"binary_data_size":8}},
                {"name":"s","shape":[1],"datatype":"BYTES","parameters":{"binary_data_size":7}}]}""";
        byte[] head = json.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(head);
        body.writeBytes(le(4, Float.floatToIntBits(3f), Float.floatToIntBits(4f)));
        body.writeBytes(new byte[] {3, 0, 0, 0, 'a', 'b', 'c'});
        DecodedRequest r = decoder.decode(body.toByteArray(), head.length);
        assertThat(bytes(r.inputs().get(0).data()))
                .isEqualTo(le(4, Float.floatToIntBits(3f), Float.floatToIntBits(4f)));
        assertThat(bytes(r.inputs().get(1).data())).isEqualTo(new byte[] {3, 0, 0, 0, 'a', 'b', 'c'});
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not json                   | {                                                                          | malformed JSON
            not an object              | [1,2]                                                                      | JSON object
            trailing garbage           | {"id":"r","inputs":[]} x                                                   |
            missing id                 | {"inputs":[{"name":"a","shape":[1],"datatype":"FP32","data":[1]}]}         | id: is required
            id not string              | {"id":5,"inputs":[]}                                                       | id: must be a string
            id bad char                | {"id":"a b","inputs":[]}                                                   | id:
            id too long                | {"id":"%s","inputs":[]}                                                    | id:
            unknown top field          | {"id":"r","input":[]}                                                      | input: unknown field
            no inputs                  | {"id":"r","inputs":[]}                                                     | inputs: at least one
            inputs not array           | {"id":"r","inputs":{}}                                                     | inputs: must be an array
            input not object           | {"id":"r","inputs":[1]}                                                    | inputs[0]: must be an object
            missing name               | {"id":"r","inputs":[{"shape":[1],"datatype":"FP32","data":[1]}]}           | inputs[0].name: is required
            missing datatype           | {"id":"r","inputs":[{"name":"a","shape":[1],"data":[1]}]}                  | inputs[0].datatype: is required
            unknown datatype           | {"id":"r","inputs":[{"name":"a","shape":[1],"datatype":"FP8","data":[1]}]} | inputs[0].datatype: unknown datatype
            missing shape              | {"id":"r","inputs":[{"name":"a","datatype":"FP32","data":[1]}]}            | inputs[0].shape: is required
            negative dim               | {"id":"r","inputs":[{"name":"a","shape":[-1],"datatype":"FP32","data":[]}]}| inputs[0].shape[0]: must be >= 0
            shape overflow             | {"id":"r","inputs":[{"name":"a","shape":[4294967296,4294967296,4],"datatype":"FP32","data":[]}]} | inputs[0].shape
            huge dim                   | {"id":"r","inputs":[{"name":"a","shape":[99999999999999999999],"datatype":"FP32","data":[]}]} | inputs[0].shape[0]
            count mismatch             | {"id":"r","inputs":[{"name":"a","shape":[3],"datatype":"FP32","data":[1,2]}]} | needs 3 elements, got 2
            missing data               | {"id":"r","inputs":[{"name":"a","shape":[1],"datatype":"FP32"}]}          | inputs[0].data: is required
            string as number           | {"id":"r","inputs":[{"name":"a","shape":[1],"datatype":"FP32","data":["1"]}]} | inputs[0].data[0]: expected a number
            float as int               | {"id":"r","inputs":[{"name":"a","shape":[1],"datatype":"INT32","data":[1.5]}]} | inputs[0].data[0]: expected an integer
            int out of range           | {"id":"r","inputs":[{"name":"a","shape":[1],"datatype":"INT8","data":[128]}]}  | inputs[0].data[0]: integer 128 out of range
            int64 overflow             | {"id":"r","inputs":[{"name":"a","shape":[1],"datatype":"INT64","data":[9223372036854775808]}]} | inputs[0].data[0]
            huge float                 | {"id":"r","inputs":[{"name":"a","shape":[1],"datatype":"FP32","data":[1e39]}]} | inputs[0].data[0]: number out of range
            fp16 overflow              | {"id":"r","inputs":[{"name":"a","shape":[1],"datatype":"FP16","data":[70000]}]} | out of range for FP16
            NaN                        | {"id":"r","inputs":[{"name":"a","shape":[1],"datatype":"FP32","data":[NaN]}]}  | malformed JSON
            bytes not string           | {"id":"r","inputs":[{"name":"a","shape":[1],"datatype":"BYTES","data":[1]}]}   | BYTES elements must be strings
            bool as int                | {"id":"r","inputs":[{"name":"a","shape":[1],"datatype":"BOOL","data":[1]}]}    | true or false
            duplicate key              | {"id":"r","id":"s","inputs":[]}                                            | malformed JSON
            unknown input field        | {"id":"r","inputs":[{"name":"a","shape":[1],"datatype":"FP32","data":[1],"x":1}]} | inputs[0].x: unknown field
            bad pin                    | {"id":"r","parameters":{"model_sha256":"xyz"},"inputs":[]}                 | parameters.model_sha256
            binary without header      | {"id":"r","inputs":[{"name":"a","shape":[1],"datatype":"FP32","parameters":{"binary_data_size":4}}]} | Inference-Header-Content-Length
            output twice               | {"id":"r","inputs":[],"outputs":[{"name":"o"},{"name":"o"}]}               | requested twice
            """)
    void decode_badRequest_namesTheField(String title, String json, String fragment) {
        String body = json.replace("%s", "x".repeat(129));
        assertThatThrownBy(() -> decode(body))
                .as(title)
                .isInstanceOf(ApiException.BadRequest.class)
                .hasMessageContaining(fragment == null ? "" : fragment.trim());
    }

    @Test
    void decode_deeplyNested_isRefusedNotStackOverflow() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        assertThatThrownBy(() -> decode("{\"id\":\"r\",\"inputs\":" + deep + "}"))
                .isInstanceOf(ApiException.BadRequest.class);
    }

    @Test
    void decode_errorAfterIdWasRead_carriesTheRequestId() {
        assertThatThrownBy(() -> decode("{\"id\":\"req-9\",\"inputs\":[{\"name\":\"a\"}]}"))
                .isInstanceOfSatisfying(
                        ApiException.BadRequest.class,
                        e -> assertThat(e.requestId()).isEqualTo("req-9"));
    }

    @Test
    void decode_binaryLengthMismatchOrLeftovers_isRefused() {
        String json = "{\"id\":\"b\",\"inputs\":[{\"name\":\"a\",\"shape\":[2],\"datatype\":\"FP32\","
                + "\"parameters\":{\"binary_data_size\":%d}}]}";
        byte[] wrongSize = withBinary(json.formatted(4), new byte[4]);
        assertThatThrownBy(() -> decoder.decode(wrongSize, wrongSize.length - 4))
                .hasMessageContaining("needs 8 bytes, got 4");
        byte[] leftover = withBinary(json.formatted(8), new byte[12]);
        assertThatThrownBy(() -> decoder.decode(leftover, leftover.length - 12))
                .hasMessageContaining("4 bytes left over");
        byte[] past = withBinary(json.formatted(8), new byte[3]);
        assertThatThrownBy(() -> decoder.decode(past, past.length - 3)).hasMessageContaining("3 left in the body");
        assertThatThrownBy(() -> decoder.decode(past, past.length + 1))
                .hasMessageContaining("Inference-Header-Content-Length");
    }

    private static byte[] withBinary(String json, byte[] tail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(json.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(tail);
        return out.toByteArray();
    }
}
