package io.parallelix.node.daemon.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.metrics.NodeMetrics;
import io.parallelix.node.daemon.protocol.CompletionsRequest;
import io.parallelix.node.daemon.protocol.CompletionsRequest.Api;
import io.parallelix.node.daemon.protocol.Json;
import io.parallelix.node.daemon.protocol.ResultRuntime;
import io.parallelix.node.daemon.service.Cancellation;
import io.parallelix.node.daemon.service.ChunkSink;
import io.parallelix.node.daemon.service.FakeEngine;
import io.parallelix.node.daemon.service.FakeGeneration;
import io.parallelix.node.daemon.service.TaskContext;
import io.parallelix.node.daemon.service.TaskOutput;
import io.parallelix.node.gpu.GenerationInfo;
import io.parallelix.node.gpu.GenerationInput;
import io.parallelix.node.gpu.InferenceException;
import io.parallelix.node.gpu.RuntimeFingerprint;
import io.parallelix.node.gpu.chat.ChatMessage;
import io.parallelix.node.gpu.sampling.SamplingParams;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenerationRunnerTest {
    private static final ResultRuntime RUNTIME = new ResultRuntime(
            new RuntimeFingerprint("0.0.0-fake", "FakeExecutionProvider", null, null, null, null, true),
            "SunRsaSign",
            "PS256");

    private static final GenerationInfo INFO = new GenerationInfo(64, 32, 300, List.of(256), true, 4);
    private static final Json json = new Json(1 << 20);
    private final FakeEngine engine = FakeEngine.of(List.of("add"), List.of(FakeEngine.generation("g", INFO)));
    private final GenerationRunner runner = new GenerationRunner(engine, new NodeMetrics(), Clock.systemUTC());

    private static CompletionsRequest request(GenerationInput in, int maxTokens, List<String> stop, boolean stream) {
        Api api = in instanceof GenerationInput.Chat ? Api.CHAT : Api.COMPLETIONS;
        return new CompletionsRequest(
                "r1", "g", api, in, SamplingParams.defaults(7), maxTokens, "max_tokens", 1, stop, stream, stream);
    }

    private TaskOutput run(CompletionsRequest r, ChunkSink sink, Cancellation cancel) throws InferenceException {
        return runner.run(
                r,
                new TaskContext(
                        engine.model(r.model()).orElseThrow(), Instant.now().plusSeconds(10), cancel, sink, RUNTIME));
    }

    private static String expected(int steps) {
        StringBuilder sb = new StringBuilder();
        for (int s = 0; s < steps; s++) {
            sb.append((char) FakeGeneration.sampled(SamplingParams.defaults(7), 0, s));
        }
        return sb.toString();
    }

    @Test
    void run_completions_default16Tokens_chat_theModelsBound() throws Exception {
        TaskOutput text =
                run(request(new GenerationInput.Text("hi"), 0, List.of(), false), ChunkSink.NONE, new Cancellation());
        JsonNode body = json.mapper().readTree(text.result());
        assertThat(body.at("/choices/0/token_ids")).hasSize(16);
        assertThat(body.at("/choices/0/text").asText()).isEqualTo(expected(16));
        assertThat(text.resultFormat()).isEqualTo("openai.completions.v1+json");
        assertThat(text.usage().promptTokens()).isEqualTo(2);
        assertThat(text.usage().completionTokens()).isEqualTo(16);
        assertThat(text.inputsSha256()).isEqualTo(GenerationRunner.inputsSha256(new int[] {'h', 'i'}));

        TaskOutput chat = run(
                request(new GenerationInput.Chat(List.of(ChatMessage.user("hi"))), 0, List.of(), false),
                ChunkSink.NONE,
                new Cancellation());
        assertThat(json.mapper().readTree(chat.result()).at("/choices/0/token_ids"))
                .hasSize(32);
    }

    @Test
    void run_stopString_endsTheChoiceBeforeIt() throws Exception {
        String full = expected(20);
        String stop = full.substring(5, 7);
        TaskOutput out = run(
                request(new GenerationInput.Text("hi"), 20, List.of(stop), false), ChunkSink.NONE, new Cancellation());
        JsonNode choice = json.mapper().readTree(out.result()).at("/choices/0");
        assertThat(choice.get("text").asText()).isEqualTo(full.substring(0, full.indexOf(stop)));
        assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void run_streamed_emitsOneEventPerToken_andTheUsageLast() throws Exception {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        TaskOutput out = run(
                request(new GenerationInput.Text("fake:utf8"), 5, List.of(), true),
                sent::writeBytes,
                new Cancellation());
        String events = sent.toString(StandardCharsets.UTF_8);
        assertThat(events.split("\n\n")).hasSize(5 + 1); // five tokens, the finish
        assertThat(events.indexOf("\"pxnode\"")).isEqualTo(events.lastIndexOf("\"pxnode\""));
        assertThat(events).contains("\"text\":\"\",").contains("\"text\":\"\u00e9\"");
        assertThat(new String(out.result(), StandardCharsets.UTF_8))
                .startsWith("data: ")
                .contains("\"choices\":[],\"usage\":{");
        assertThat(out.resultFormat()).isEqualTo("openai.completions.v1+sse");
    }

    @Test
    void run_cancelled_endsWithinAToken() {
        Cancellation cancel = new Cancellation();
        int[] emitted = {0};
        ChunkSink sink = chunk -> {
            if (++emitted[0] == 3) {
                cancel.cancel();
            }
        };
        assertThatThrownBy(() -> run(request(new GenerationInput.Text("hi"), 30, List.of(), true), sink, cancel))
                .isInstanceOf(ApiException.ClientClosed.class);
        assertThat(engine.generated.get()).isEqualTo(4);
        assertThat(engine.generating.get()).isZero();
    }

    @Test
    void run_refuses_whatTheModelCannotDo() {
        assertThatThrownBy(() -> run(
                        request(new GenerationInput.Text("hi"), 33, List.of(), false),
                        ChunkSink.NONE,
                        new Cancellation()))
                .isInstanceOf(ApiException.BadRequest.class)
                .hasMessageContaining("max_tokens: must be at most this model's 32");
        assertThatThrownBy(() -> run(
                        request(new GenerationInput.Tokens(new int[] {1, 300}), 1, List.of(), false),
                        ChunkSink.NONE,
                        new Cancellation()))
                .hasMessageStartingWith("prompt[1]: token id 300");
        CompletionsRequest onTensor = new CompletionsRequest(
                "r1",
                "add",
                Api.COMPLETIONS,
                new GenerationInput.Text("x"),
                SamplingParams.defaults(1),
                0,
                "max_tokens",
                1,
                List.of(),
                false,
                false);
        assertThatThrownBy(() -> runner.run(
                        onTensor,
                        new TaskContext(
                                engine.model("add").orElseThrow(),
                                Instant.now().plusSeconds(5),
                                new Cancellation(),
                                ChunkSink.NONE,
                                RUNTIME)))
                .hasMessageContaining("is a tensor model");
    }
}
