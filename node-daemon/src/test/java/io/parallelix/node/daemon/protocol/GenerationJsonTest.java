package io.parallelix.node.daemon.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.daemon.protocol.CompletionsRequest.Api;
import io.parallelix.node.gpu.FinishReason;
import io.parallelix.node.gpu.GenerationResult;
import io.parallelix.node.gpu.TokenLogprobs;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden bytes: these answers are signed, so every byte is part of the contract (docs/openai-generation.md). */
class GenerationJsonTest {
    private static final TokenLogprobs HI = new TokenLogprobs(
            72, "H", -0.5, List.of(new TokenLogprobs.Top(73, "I", -1.25), new TokenLogprobs.Top(72, "H", -0.5)));
    private static final TokenLogprobs EOS = new TokenLogprobs(2, "</s>", Double.NEGATIVE_INFINITY, List.of());
    private static final GenerationResult RESULT = new GenerationResult(
            new int[] {1, 5},
            List.of(new GenerationResult.Choice(0, "H\"\n", new int[] {72, 2}, FinishReason.STOP, List.of(HI, EOS))),
            "ab",
            "p",
            0,
            0,
            0,
            0,
            0);

    private static GenerationJson.Head head(Api api, boolean usage) {
        return new GenerationJson.Head(api, api == Api.CHAT ? "chatcmpl-r" : "cmpl-r", 7, "m", usage);
    }

    private static String whole(Api api) {
        return new String(
                GenerationJson.whole(head(api, false), RESULT, List.of(new int[] {0, 1})), StandardCharsets.UTF_8);
    }

    @Test
    void whole_completions() {
        assertThat(whole(Api.COMPLETIONS))
                .isEqualTo(
                        "{\"id\":\"cmpl-r\",\"object\":\"text_completion\",\"created\":7,\"model\":\"m\",\"choices\":[{"
                                + "\"index\":0,\"text\":\"H\\\"\\u000a\",\"logprobs\":{\"tokens\":[\"H\",\"</s>\"],"
                                + "\"token_logprobs\":[-0.5,-9999.0],\"top_logprobs\":[{\"I\":-1.25,\"H\":-0.5},{\"</s>\":-9999.0}],"
                                + "\"text_offset\":[0,1]},\"finish_reason\":\"stop\",\"token_ids\":[72,2]}],\"usage\":{"
                                + "\"prompt_tokens\":2,\"completion_tokens\":2,\"total_tokens\":4},\"pxnode\":{\"model_sha256\":\"ab\","
                                + "\"prompt_token_ids\":[1,5]}}");
    }

    @Test
    void whole_chat() {
        assertThat(whole(Api.CHAT))
                .isEqualTo(
                        "{\"id\":\"chatcmpl-r\",\"object\":\"chat.completion\",\"created\":7,\"model\":\"m\",\"choices\":[{"
                                + "\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"H\\\"\\u000a\"},\"logprobs\":{"
                                + "\"content\":[{\"token\":\"H\",\"logprob\":-0.5,\"bytes\":[72],\"top_logprobs\":[{\"token\":\"I\","
                                + "\"logprob\":-1.25,\"bytes\":[73]},{\"token\":\"H\",\"logprob\":-0.5,\"bytes\":[72]}]},{\"token\":"
                                + "\"</s>\",\"logprob\":-9999.0,\"bytes\":[60,47,115,62],\"top_logprobs\":[]}]},\"finish_reason\":"
                                + "\"stop\",\"token_ids\":[72,2]}],\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":2,"
                                + "\"total_tokens\":4},\"pxnode\":{\"model_sha256\":\"ab\",\"prompt_token_ids\":[1,5]}}");
    }

    @Test
    void events_chat_roleTokenFinishUsage() {
        GenerationJson.Head h = head(Api.CHAT, true);
        StringBuilder sb = new StringBuilder();
        GenerationJson.roleEvent(sb, h, 0, new GenerationJson.Pxnode("ab", new int[] {1}));
        GenerationJson.tokenEvent(sb, h, 0, "\ud83d\ude00", 9, null, 0, null);
        GenerationJson.finishEvent(sb, h, 0, FinishReason.LENGTH);
        GenerationJson.usageEvent(sb, h, 1, 1);
        String pre =
                "data: {\"id\":\"chatcmpl-r\",\"object\":\"chat.completion.chunk\",\"created\":7,\"model\":\"m\",\"choices\":[";
        assertThat(sb.toString())
                .isEqualTo(pre + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,"
                        + "\"finish_reason\":null,\"token_ids\":[]}],\"usage\":null,\"pxnode\":{\"model_sha256\":\"ab\","
                        + "\"prompt_token_ids\":[1]}}\n\n"
                        + pre
                        + "{\"index\":0,\"delta\":{\"content\":\"\ud83d\ude00\"},\"logprobs\":null,\"finish_reason\":"
                        + "null,\"token_ids\":[9]}],\"usage\":null}\n\n"
                        + pre
                        + "{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"length\",\"token_ids\":[]}],"
                        + "\"usage\":null}\n\n"
                        + pre + "],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}\n\n");
    }

    @Test
    void events_completions_withoutUsage_haveNoUsageField() {
        StringBuilder sb = new StringBuilder();
        GenerationJson.tokenEvent(sb, head(Api.COMPLETIONS, false), 1, "a", 97, HI, 4, null);
        assertThat(sb.toString())
                .isEqualTo(
                        "data: {\"id\":\"cmpl-r\",\"object\":\"text_completion\",\"created\":7,\"model\":\"m\",\"choices\":"
                                + "[{\"index\":1,\"text\":\"a\",\"logprobs\":{\"tokens\":[\"H\"],\"token_logprobs\":[-0.5],"
                                + "\"top_logprobs\":[{\"I\":-1.25,\"H\":-0.5}],\"text_offset\":[4]},\"finish_reason\":null,"
                                + "\"token_ids\":[97]}]}\n\n");
    }

    @Test
    void strings_escapeLoneSurrogates_andNaNIsRefused() {
        assertThat(GenerationJson.string(new StringBuilder(), "a\ud800b\\").toString())
                .isEqualTo("\"a\\ud800b\\\\\"");
        assertThatThrownBy(() -> GenerationJson.number(new StringBuilder(), Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(GenerationJson.resultFormat(Api.CHAT, true)).isEqualTo("openai.chat.completions.v1+sse");
        assertThat(GenerationJson.resultFormat(Api.COMPLETIONS, false)).isEqualTo("openai.completions.v1+json");
    }
}
