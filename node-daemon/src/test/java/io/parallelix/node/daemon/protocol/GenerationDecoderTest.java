package io.parallelix.node.daemon.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.protocol.CompletionsRequest.Api;
import io.parallelix.node.gpu.GenerationInput;
import io.parallelix.node.gpu.chat.ChatMessage;
import io.parallelix.node.gpu.sampling.SamplingParams;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GenerationDecoderTest {
    private static final Json json = new Json(1 << 20);
    private final GenerationDecoder decoder = new GenerationDecoder(json.factory(), new GenerationLimits(4, 20, 5, 3));

    private CompletionsRequest decode(Api api, String body) {
        return decoder.decode(body.getBytes(StandardCharsets.UTF_8), "req-1", "m", api);
    }

    private ApiException.BadRequest refused(Api api, String body) {
        try {
            decode(api, body);
        } catch (ApiException.BadRequest e) {
            assertThat(e.requestId()).isEqualTo("req-1");
            return e;
        }
        throw new AssertionError("accepted: " + body);
    }

    @Test
    void decode_aPrompt_takesOpenAisDefaults_andTheSeedOfTheRequestId() {
        CompletionsRequest r = decode(Api.COMPLETIONS, "{\"model\":\"m\",\"prompt\":\"hello\"}");
        assertThat(r.input()).isEqualTo(new GenerationInput.Text("hello"));
        assertThat(r.sampling()).isEqualTo(SamplingParams.defaults(SamplingParams.seedFromRequestId("req-1")));
        assertThat(r.maxTokens()).isZero();
        assertThat(r.maxTokensField()).isEqualTo("max_tokens");
        assertThat(r.n()).isEqualTo(1);
        assertThat(r.stop()).isEmpty();
        assertThat(r.stream()).isFalse();
        assertThat(r.includeUsage()).isFalse();
        assertThat(r.modelSha256()).isNull();
    }

    @Test
    void decode_everyOption() {
        CompletionsRequest r = decode(
                Api.COMPLETIONS,
                "{\"model\":\"m\",\"prompt\":[1,2],\"max_tokens\":7,\"temperature\":0.5,\"top_p\":0.9,\"top_k\":40,"
                        + "\"min_p\":0.05,\"repetition_penalty\":1.1,\"frequency_penalty\":0.5,\"presence_penalty\":-0.5,"
                        + "\"seed\":-3,\"stop\":[\"a\",\"bc\"],\"n\":4,\"logprobs\":5,\"stream\":true,"
                        + "\"stream_options\":{\"include_usage\":true},\"user\":\"u\"}");
        assertThat(((GenerationInput.Tokens) r.input()).ids()).containsExactly(1, 2);
        assertThat(r.sampling()).isEqualTo(new SamplingParams(0.5, 40, 0.9, 0.05, 1.1, 0.5, -0.5, -3, true, 5));
        assertThat(r.maxTokens()).isEqualTo(7);
        assertThat(r.stop()).containsExactly("a", "bc");
        assertThat(r.n()).isEqualTo(4);
        assertThat(r.stream()).isTrue();
        assertThat(r.includeUsage()).isTrue();
    }

    @Test
    void decode_onePromptInABatchForm_isThatPrompt() {
        assertThat(decode(Api.COMPLETIONS, "{\"model\":\"m\",\"prompt\":[\"one\"]}")
                        .input())
                .isEqualTo(new GenerationInput.Text("one"));
        assertThat(((GenerationInput.Tokens) decode(Api.COMPLETIONS, "{\"model\":\"m\",\"prompt\":[[3]]}")
                                .input())
                        .ids())
                .containsExactly(3);
        assertThat(refused(Api.COMPLETIONS, "{\"model\":\"m\",\"prompt\":[\"a\",\"b\"]}")
                        .field())
                .isEqualTo("prompt");
    }

    @Test
    void decode_messages_developerIsSystem_andTextPartsJoinWithNewlines() {
        CompletionsRequest r = decode(
                Api.CHAT,
                "{\"model\":\"m\",\"messages\":[{\"role\":\"developer\",\"content\":\"be\"},{\"content\":[{\"type\":"
                        + "\"text\",\"text\":\"a\"},{\"text\":\"b\",\"type\":\"text\"}],\"role\":\"user\"}],"
                        + "\"max_completion_tokens\":9,\"logprobs\":true,\"top_logprobs\":2,\"top_k\":-1}");
        assertThat(((GenerationInput.Chat) r.input()).messages())
                .containsExactly(ChatMessage.system("be"), ChatMessage.user("a\nb"));
        assertThat(r.maxTokens()).isEqualTo(9);
        assertThat(r.maxTokensField()).isEqualTo("max_completion_tokens");
        assertThat(r.sampling().logprobs()).isTrue();
        assertThat(r.sampling().topLogprobs()).isEqualTo(2);
        assertThat(r.sampling().topK()).isZero();
    }

    @Test
    void decode_limits_nameTheFieldAndTheKey() {
        assertThat(refused(Api.COMPLETIONS, "{\"model\":\"m\",\"prompt\":\"" + "x".repeat(21) + "\"}")
                        .getMessage())
                .contains("server.max_generation_chars");
        assertThat(refused(Api.COMPLETIONS, "{\"model\":\"m\",\"prompt\":[1,2,3,4,5,6]}")
                        .getMessage())
                .contains("server.max_generation_token_ids");
        String four = "{\"role\":\"user\",\"content\":\"x\"},".repeat(4);
        assertThat(refused(Api.CHAT, "{\"model\":\"m\",\"messages\":[" + four.substring(0, four.length() - 1) + "]}")
                        .getMessage())
                .contains("server.max_chat_messages");
        assertThat(refused(
                                Api.CHAT,
                                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(11)
                                        + "\"},{\"role\":\"user\",\"content\":\"" + "y".repeat(10) + "\"}]}")
                        .field())
                .isEqualTo("messages");
        assertThat(refused(Api.COMPLETIONS, "{\"model\":\"m\",\"prompt\":\"x\",\"n\":5}")
                        .field())
                .isEqualTo("n");
    }

    @Test
    void decode_samplingRanges_nameTheField_logprobsOnCompletions() {
        assertThat(refused(Api.COMPLETIONS, "{\"model\":\"m\",\"prompt\":\"x\",\"temperature\":3}")
                        .field())
                .isEqualTo("temperature");
        assertThat(refused(
                                Api.CHAT,
                                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                                        + "\"top_logprobs\":1}")
                        .field())
                .isEqualTo("top_logprobs");
        assertThat(refused(Api.COMPLETIONS, "{\"model\":\"m\",\"prompt\":\"x\",\"logprobs\":21}")
                        .field())
                .isEqualTo("logprobs");
    }

    @Test
    void decode_theModelPeekDisagreesWith_isABug() {
        assertThatThrownBy(() -> decode(Api.COMPLETIONS, "{\"model\":\"other\",\"prompt\":\"x\"}"))
                .isInstanceOf(IllegalStateException.class);
    }
}
