package io.parallelix.node.daemon.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.gpu.EmbeddingInput;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EmbeddingsDecoderTest {
    private static final Json json = new Json(1 << 20);
    private final EmbeddingsDecoder decoder = new EmbeddingsDecoder(json.factory(), new EmbeddingsLimits(4, 20, 10));

    private EmbeddingsRequest decode(String body) {
        return decode(body.getBytes(StandardCharsets.UTF_8));
    }

    private EmbeddingsRequest decode(byte[] body) {
        return decoder.decode(body, "req-1", "m");
    }

    @Test
    void decode_oneString_isASingleTextInputWithDefaults() {
        EmbeddingsRequest r = decode("{\"model\":\"m\",\"input\":\"hello\"}");
        assertThat(r.requestId()).isEqualTo("req-1");
        assertThat(r.model()).isEqualTo("m");
        assertThat(r.inputs()).containsExactly(new EmbeddingInput.Text("hello"));
        assertThat(r.single()).isTrue();
        assertThat(r.field(0)).isEqualTo("input");
        assertThat(r.encoding()).isEqualTo(EmbeddingsRequest.Encoding.FLOAT);
        assertThat(r.dimensions()).isZero();
        assertThat(r.truncate()).isFalse();
        assertThat(r.modelSha256()).isNull();
    }

    @Test
    void decode_everyInputForm_andEveryOption() {
        EmbeddingsRequest strings = decode("{\"input\":[\"a\",\"b\"],\"model\":\"m\",\"encoding_format\":\"base64\","
                + "\"dimensions\":8,\"user\":\"u-1\",\"truncate\":true}");
        assertThat(strings.inputs()).containsExactly(new EmbeddingInput.Text("a"), new EmbeddingInput.Text("b"));
        assertThat(strings.single()).isFalse();
        assertThat(strings.field(1)).isEqualTo("input[1]");
        assertThat(strings.encoding()).isEqualTo(EmbeddingsRequest.Encoding.BASE64);
        assertThat(strings.dimensions()).isEqualTo(8);
        assertThat(strings.truncate()).isTrue();

        EmbeddingsRequest ids = decode("{\"model\":\"m\",\"input\":[101,0,2147483647]}");
        assertThat(ids.single()).isTrue();
        assertThat(((EmbeddingInput.Tokens) ids.inputs().get(0)).ids()).containsExactly(101, 0, Integer.MAX_VALUE);

        EmbeddingsRequest arrays = decode("{\"model\":\"m\",\"input\":[[1,2],[3]]}");
        assertThat(arrays.single()).isFalse();
        assertThat(arrays.inputs()).hasSize(2);
        assertThat(((EmbeddingInput.Tokens) arrays.inputs().get(1)).ids()).containsExactly(3);

        EmbeddingsRequest nulls = decode("{\"model\":\"m\",\"input\":\"x\",\"encoding_format\":null,"
                + "\"dimensions\":null,\"user\":null,\"truncate\":null}");
        assertThat(nulls.encoding()).isEqualTo(EmbeddingsRequest.Encoding.FLOAT);
        assertThat(nulls.dimensions()).isZero();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"model\":\"m\"}                                      | input           | is required",
                "{\"model\":\"m\",\"input\":\"\"}                       | input           | must not be empty",
                "{\"model\":\"m\",\"input\":[]}                         | input           | must not be an empty array",
                "{\"model\":\"m\",\"input\":[\"a\",\"\"]}               | input[1]        | must not be empty",
                "{\"model\":\"m\",\"input\":[[1],[]]}                   | input[1]        | must not be an empty array",
                "{\"model\":\"m\",\"input\":null}                       | input           | must be a string",
                "{\"model\":\"m\",\"input\":{}}                         | input           | got an object",
                "{\"model\":\"m\",\"input\":[null]}                     | input[0]        | got null",
                "{\"model\":\"m\",\"input\":[true]}                     | input[0]        | got a boolean",
                "{\"model\":\"m\",\"input\":[\"a\",1]}                  | input[1]        | must be a string like input[0]",
                "{\"model\":\"m\",\"input\":[\"a\",[1]]}                | input[1]        | must be a string like input[0]",
                "{\"model\":\"m\",\"input\":[[1],\"a\"]}                | input[1]        | must be a token-id array",
                "{\"model\":\"m\",\"input\":[1,\"a\"]}                  | input[1]        | must be an integer token id",
                "{\"model\":\"m\",\"input\":[1,[2]]}                    | input[1]        | got an array",
                "{\"model\":\"m\",\"input\":[[1,-1]]}                   | input[0][1]     | got -1",
                "{\"model\":\"m\",\"input\":[1.5]}                      | input[0]        | a non-integer number",
                "{\"model\":\"m\",\"input\":[2147483648]}               | input[0]        | got 2147483648",
                "{\"model\":\"m\",\"input\":[[[1]]]}                    | input[0][0]     | got an array",
                "{\"model\":\"m\",\"input\":\"x\",\"encoding_format\":\"int8\"} | encoding_format | float",
                "{\"model\":\"m\",\"input\":\"x\",\"encoding_format\":1}      | encoding_format | base64",
                "{\"model\":\"m\",\"input\":\"x\",\"dimensions\":0}     | dimensions      | >= 1",
                "{\"model\":\"m\",\"input\":\"x\",\"dimensions\":2.5}   | dimensions      | integer",
                "{\"model\":\"m\",\"input\":\"x\",\"dimensions\":\"8\"} | dimensions      | integer",
                "{\"model\":\"m\",\"input\":\"x\",\"user\":3}           | user            | must be a string",
                "{\"model\":\"m\",\"input\":\"x\",\"truncate\":\"yes\"} | truncate        | true or false",
                "{\"model\":\"m\",\"input\":\"x\",\"input_type\":\"q\"} | input_type      | unknown field",
                "{\"model\":\"m\",\"input\":[\"a\",\"b\",\"c\",\"d\",\"e\"]} | input       | more than 4 inputs",
                "{\"model\":\"m\",\"input\":[\"aaaaaaaaaa\",\"bbbbbbbbbbb\"]} | input      | more than 20 characters",
                "{\"model\":\"m\",\"input\":[[1,2,3,4,5,6],[7,8,9,10,11]]}  | input      | more than 10 token ids",
                "{\"model\":\"m\",\"input\":\"\\ud800x\"}               | input           | unpaired surrogate \\ud800",
                "{\"model\":\"m\",\"input\":[\"ok\",\"x\\udc00\"]}      | input[1]        | unpaired surrogate \\udc00",
                "{\"model\":\"m\",\"input\":\"x\",\"input\":\"y\"}      | input           | Duplicate field",
                "{\"model\":\"m\",\"input\":[\"x\"                     | input[1]        | malformed JSON",
            })
    void decode_badInput_isA400NamingTheField(String body, String field, String message) {
        assertThatThrownBy(() -> decode(body.strip()))
                .isInstanceOfSatisfying(ApiException.BadRequest.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.requestId()).isEqualTo("req-1");
                })
                .hasMessageContaining(message);
    }

    @Test
    void decode_invalidUtf8_namesTheInput() {
        for (byte[] bad : new byte[][] {{(byte) 0xff}, {(byte) 0xc3}, {(byte) 0xc0, (byte) 0x80}, {(byte) 0x80}}) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes("{\"model\":\"m\",\"input\":[\"ok\",\"a".getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(bad);
            body.writeBytes("b\"]}".getBytes(StandardCharsets.US_ASCII));
            assertThatThrownBy(() -> decode(body.toByteArray()))
                    .as("bytes %s", java.util.HexFormat.of().formatHex(bad))
                    .isInstanceOfSatisfying(
                            ApiException.BadRequest.class,
                            e -> assertThat(e.field()).isEqualTo("input[1]"))
                    .hasMessageContaining("UTF-8");
        }
    }

    @Test
    void decode_surrogateWrittenAsRawUtf8Bytes_isRefusedToo() {
        // CESU-style ED A0 80 is U+D800 in three bytes: not UTF-8, however a lenient decoder reads it
        byte[] body = new byte[] {
            '{',
            '"',
            'm',
            'o',
            'd',
            'e',
            'l',
            '"',
            ':',
            '"',
            'm',
            '"',
            ',',
            '"',
            'i',
            'n',
            'p',
            'u',
            't',
            '"',
            ':',
            '"',
            (byte) 0xed,
            (byte) 0xa0,
            (byte) 0x80,
            '"',
            '}'
        };
        assertThatThrownBy(() -> decode(body))
                .isInstanceOfSatisfying(
                        ApiException.BadRequest.class,
                        e -> assertThat(e.field()).isEqualTo("input"));
    }

    @Test
    void decode_nestedTooDeep_isA400() {
        String deep = "[".repeat(40) + "]".repeat(40);
        assertThatThrownBy(() -> decode("{\"model\":\"m\",\"input\":" + deep + "}"))
                .isInstanceOf(ApiException.BadRequest.class);
    }
}
