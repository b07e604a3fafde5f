package io.parallelix.node.daemon.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.daemon.error.ApiException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonElementsTest {
    private final InferRequestDecoder decoder = new InferRequestDecoder(new Json(1 << 20).factory());

    private ByteBuffer bytesData(String jsonString) {
        String json = "{\"id\":\"r\",\"inputs\":[{\"name\":\"s\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":["
                + jsonString + "]}]}";
        return decoder.decode(json.getBytes(StandardCharsets.UTF_8), -1)
                .inputs()
                .get(0)
                .data()
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\\ud800\"", "\"a\\udc00\"", "\"\\ud83d\"", "\"\\ude00\\ud83d\""})
    void bytes_unpairedSurrogateEscape_isRefusedNotTurnedIntoQuestionMark(String element) {
        assertThatThrownBy(() -> bytesData(element))
                .isInstanceOf(ApiException.BadRequest.class)
                .hasMessageContaining("inputs[0].data[0]")
                .hasMessageContaining("unpaired surrogate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\\ud83d\\ude00\"", "\"\uD83D\uDE00\""})
    void bytes_surrogatePair_isOneFourByteCharacter(String element) {
        ByteBuffer data = bytesData(element);
        assertThat(data.getInt()).isEqualTo(4);
        byte[] utf8 = new byte[4];
        data.get(utf8);
        assertThat(utf8).isEqualTo("\uD83D\uDE00".getBytes(StandardCharsets.UTF_8));
    }
}
