package io.parallelix.node.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StreamTextTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String text(String events) {
        return StreamText.of(JSON, events.getBytes(StandardCharsets.UTF_8)).toString();
    }

    @Test
    void of_chatChunks_joinsDeltaContentPerChoice_keepingTheLastFinishReason() {
        String c = "{\"object\":\"chat.completion.chunk\",\"choices\":";
        assertThat(text("data: " + c + "[{\"index\":1,\"delta\":{\"role\":\"assistant\"},\"finish_reason\":null}]}\n\n"
                        + ": a comment\n\n"
                        + "data: " + c + "[{\"index\":0,\"delta\":{\"content\":\"a\"}},{\"index\":1,\"delta\":"
                        + "{\"content\":null}}]}\n\n"
                        + "data: " + c
                        + "[{\"index\":0,\"delta\":{\"content\":\"\u00e9\"},\"finish_reason\":\"stop\"}]}\n\n"
                        + "data: " + c + "[],\"usage\":{\"total_tokens\":3}}\n\n"))
                .isEqualTo("{\"object\":\"chat.completion.chunk\",\"choices\":["
                        + "{\"index\":0,\"text\":\"a\u00e9\",\"finish_reason\":\"stop\"},"
                        + "{\"index\":1,\"text\":\"\",\"finish_reason\":null}]}");
    }

    @Test
    void of_noEvents_isNoChoices() {
        assertThat(text("")).isEqualTo("{\"object\":null,\"choices\":[]}");
    }

    @Test
    void of_whatIsNotAStreamOfOneKindOfChunk_isRefusedNamingTheLine() {
        String t = "data: {\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\"x\"}]}\n\n";
        String[][] cases = {
            {"event: x\n\n", "line 1 is not a data line"},
            {"data: [DONE]\n\n", "line 1 is not JSON"},
            {"data: {\"object\":\"list\"}\n\n", "line 1 is not an OpenAI chunk"},
            {t + "data: {\"object\":\"chat.completion.chunk\",\"choices\":[]}\n\n", "line 3: a chunk of object"},
            {"data: {\"object\":\"text_completion\",\"choices\":[{\"index\":\"0\",\"text\":\"x\"}]}\n\n", "wrong type"},
            {"data: {\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":7}]}\n\n", "wrong type"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> text(c[0])).as(c[0]).hasMessageContaining(c[1]);
        }
    }
}
