package io.parallelix.node.daemon.protocol;

import io.parallelix.node.daemon.protocol.CompletionsRequest.Api;
import io.parallelix.node.gpu.FinishReason;
import io.parallelix.node.gpu.GenerationResult;
import io.parallelix.node.gpu.TokenLogprobs;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The bodies and stream events of the completions and chat completions answers, which are their
 * signed results, so their bytes are fixed by the generation alone (docs/openai-generation.md):
 * OpenAI's fields in OpenAI's order, then pxnode's ({@code token_ids} per choice, {@code pxnode}
 * at the top), no whitespace, strings with quotes, backslashes, control characters and lone
 * surrogates escaped and all else as it is, logprobs as {@link Double#toString(double)} writes
 * them (-∞ as OpenAI's -9999.0). Only {@code created} differs between two answers to one request.
 */
public final class GenerationJson {
    /** OpenAI's stand-in for the logprob of a token the model rules out (−∞ has no JSON form). */
    static final double NEG_INF_LOGPROB = -9999.0;

    private GenerationJson() {}

    public static String resultFormat(Api api, boolean stream) {
        return (api == Api.CHAT ? "openai.chat.completions.v1" : "openai.completions.v1") + (stream ? "+sse" : "+json");
    }

    /**
     * What every body and chunk of one answer shares: the API, OpenAI's id ("cmpl-" or
     * "chatcmpl-" + the request id), {@code created} (epoch seconds), the model's name, and
     * whether a stream's chunks carry {@code "usage":null} (stream_options.include_usage), and the
     * runtime fingerprint written into {@code pxnode.runtime} (null: none, OpenAI's fields alone).
     */
    public record Head(
            Api api,
            String id,
            long created,
            String model,
            boolean usage,
            @Nullable ResultRuntime runtime) {
        public Head(Api api, String id, long created, String model, boolean usage) {
            this(api, id, created, model, usage, null);
        }

        public static Head of(CompletionsRequest r, long created, @Nullable ResultRuntime runtime) {
            String prefix = r.api() == Api.CHAT ? "chatcmpl-" : "cmpl-";
            return new Head(r.api(), prefix + r.requestId(), created, r.model(), r.includeUsage(), runtime);
        }

        boolean chat() {
            return api == Api.CHAT;
        }
    }

    /** pxnode's facts of the answer: the model's digest and the prompt as the model saw it. */
    @SuppressWarnings("ArrayRecordComponent") // written, never compared
    public record Pxnode(String modelSha256, int[] promptTokenIds) {}

    /** The whole answer; {@code offsets[c][k]}: characters of choice c's text before its token k. */
    public static byte[] whole(Head h, GenerationResult r, List<int[]> offsets) {
        StringBuilder sb = new StringBuilder(256 + r.completionTokens() * 16);
        start(sb, h, h.chat() ? "chat.completion" : "text_completion");
        for (GenerationResult.Choice c : r.choices()) {
            sb.append(c.index() == 0 ? "" : ",").append("{\"index\":").append(c.index());
            if (h.chat()) {
                sb.append(",\"message\":{\"role\":\"assistant\",\"content\":");
                string(sb, c.text());
                sb.append('}');
            } else {
                sb.append(",\"text\":");
                string(sb, c.text());
            }
            sb.append(",\"logprobs\":");
            if (c.logprobs().isEmpty()) {
                sb.append("null");
            } else {
                logprobs(sb, h, c.logprobs(), offsets.get(c.index()));
            }
            sb.append(",\"finish_reason\":\"").append(c.finish().wireName()).append('"');
            ids(sb.append(",\"token_ids\":"), c.tokenIds()).append('}');
        }
        sb.append("],\"usage\":");
        usage(sb, r.promptIds().length, r.completionTokens());
        pxnode(sb, h, new Pxnode(r.modelSha256(), r.promptIds()));
        return utf8(sb.append('}'));
    }

    /** Chat's first event of a choice: the assistant's role, no text, no tokens. */
    public static void roleEvent(StringBuilder out, Head h, int choice, @Nullable Pxnode first) {
        chunkStart(out, h, choice);
        out.append(",\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null");
        chunkEnd(out.append(",\"token_ids\":[]}"), h, first);
    }

    /** The event of one sampled token: the text it released (maybe empty), its id, its logprobs. */
    public static void tokenEvent(
            StringBuilder out,
            Head h,
            int choice,
            String text,
            int id,
            @Nullable TokenLogprobs lp,
            int offset,
            @Nullable Pxnode first) {
        chunkStart(out, h, choice);
        if (h.chat()) {
            string(out.append(",\"delta\":{\"content\":"), text).append('}');
        } else {
            string(out.append(",\"text\":"), text);
        }
        out.append(",\"logprobs\":");
        if (lp == null) {
            out.append("null");
        } else {
            logprobs(out, h, List.of(lp), new int[] {offset});
        }
        out.append(",\"finish_reason\":null,\"token_ids\":[").append(id).append("]}");
        chunkEnd(out, h, first);
    }

    /** The last event of a choice: why it ended, no text, no tokens. */
    public static void finishEvent(StringBuilder out, Head h, int choice, FinishReason finish) {
        chunkStart(out, h, choice);
        out.append(h.chat() ? ",\"delta\":{}" : ",\"text\":\"\"");
        out.append(",\"logprobs\":null,\"finish_reason\":\"")
                .append(finish.wireName())
                .append("\",\"token_ids\":[]}");
        chunkEnd(out, h, null);
    }

    /** stream_options.include_usage's last event: no choices, the usage of the whole answer. */
    public static void usageEvent(StringBuilder out, Head h, int promptTokens, int completionTokens) {
        out.append("data: ");
        start(out, h, h.chat() ? "chat.completion.chunk" : "text_completion");
        usage(out.append("],\"usage\":"), promptTokens, completionTokens);
        out.append("}\n\n");
    }

    public static byte[] utf8(CharSequence s) {
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void start(StringBuilder sb, Head h, String object) {
        string(sb.append("{\"id\":"), h.id());
        sb.append(",\"object\":\"").append(object).append("\",\"created\":").append(h.created());
        string(sb.append(",\"model\":"), h.model()).append(",\"choices\":[");
    }

    private static void chunkStart(StringBuilder out, Head h, int choice) {
        out.append("data: ");
        start(out, h, h.chat() ? "chat.completion.chunk" : "text_completion");
        out.append("{\"index\":").append(choice);
    }

    private static void chunkEnd(StringBuilder out, Head h, @Nullable Pxnode first) {
        out.append(']');
        if (h.usage()) {
            out.append(",\"usage\":null");
        }
        if (first != null) {
            pxnode(out, h, first);
        }
        out.append("}\n\n");
    }

    private static void usage(StringBuilder sb, int prompt, int completion) {
        sb.append("{\"prompt_tokens\":").append(prompt);
        sb.append(",\"completion_tokens\":").append(completion);
        sb.append(",\"total_tokens\":").append((long) prompt + completion).append('}');
    }

    /** pxnode's object: digest, prompt ids, then (when the head has one) the signed runtime fingerprint. */
    private static void pxnode(StringBuilder sb, Head h, Pxnode px) {
        string(sb.append(",\"pxnode\":{\"model_sha256\":"), px.modelSha256());
        ids(sb.append(",\"prompt_token_ids\":"), px.promptTokenIds());
        if (h.runtime() != null) {
            sb.append(",\"runtime\":").append(h.runtime().json());
        }
        sb.append('}');
    }

    /** Completions: OpenAI's legacy four parallel arrays. Chat: one entry per token, with its UTF-8 bytes. */
    private static void logprobs(StringBuilder sb, Head h, List<TokenLogprobs> lps, int[] offsets) {
        if (h.chat()) {
            sb.append("{\"content\":[");
            for (int k = 0; k < lps.size(); k++) {
                TokenLogprobs lp = lps.get(k);
                sb.append(k == 0 ? "" : ",");
                entry(sb, lp.token(), lp.logprob());
                sb.append(",\"top_logprobs\":[");
                for (int j = 0; j < lp.top().size(); j++) {
                    TokenLogprobs.Top t = lp.top().get(j);
                    entry(sb.append(j == 0 ? "" : ","), t.token(), t.logprob());
                    sb.append('}');
                }
                sb.append("]}");
            }
            sb.append("]}");
            return;
        }
        sb.append("{\"tokens\":[");
        for (int k = 0; k < lps.size(); k++) {
            string(sb.append(k == 0 ? "" : ","), lps.get(k).token());
        }
        sb.append("],\"token_logprobs\":[");
        for (int k = 0; k < lps.size(); k++) {
            number(sb.append(k == 0 ? "" : ","), lps.get(k).logprob());
        }
        sb.append("],\"top_logprobs\":[");
        for (int k = 0; k < lps.size(); k++) {
            topMap(sb.append(k == 0 ? "" : ","), lps.get(k));
        }
        sb.append("],\"text_offset\":[");
        for (int k = 0; k < lps.size(); k++) {
            sb.append(k == 0 ? "" : ",").append(offsets[k]);
        }
        sb.append("]}");
    }

    /** {token: logprob} of the alternatives, then the sampled token; a token text already there is not repeated. */
    private static void topMap(StringBuilder sb, TokenLogprobs lp) {
        Set<String> seen = new HashSet<>();
        sb.append('{');
        for (TokenLogprobs.Top t : lp.top()) {
            if (seen.add(t.token())) {
                number(string(sb.append(seen.size() == 1 ? "" : ","), t.token()).append(':'), t.logprob());
            }
        }
        if (seen.add(lp.token())) {
            number(string(sb.append(seen.size() == 1 ? "" : ","), lp.token()).append(':'), lp.logprob());
        }
        sb.append('}');
    }

    /**
     * {"token":..,"logprob":..,"bytes":[..] — left open for top_logprobs. A token that is part of a
     * UTF-8 character has no text of its own (it decodes to U+FFFD); its bytes are null, as OpenAI
     * allows ("null if there is no bytes representation"), rather than the replacement character's.
     */
    private static void entry(StringBuilder sb, String token, double logprob) {
        string(sb.append("{\"token\":"), token);
        number(sb.append(",\"logprob\":"), logprob);
        if (token.indexOf('\uFFFD') >= 0) {
            sb.append(",\"bytes\":null");
            return;
        }
        sb.append(",\"bytes\":[");
        byte[] bytes = token.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            sb.append(i == 0 ? "" : ",").append(bytes[i] & 0xff);
        }
        sb.append(']');
    }

    /** Throws IllegalArgumentException for NaN: the model produced no probability. */
    static StringBuilder number(StringBuilder sb, double v) {
        if (Double.isNaN(v) || v == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("a logprob is " + v);
        }
        return sb.append(Double.toString(v == Double.NEGATIVE_INFINITY ? NEG_INF_LOGPROB : v));
    }

    static StringBuilder ids(StringBuilder sb, int[] ids) {
        sb.append('[');
        for (int i = 0; i < ids.length; i++) {
            sb.append(i == 0 ? "" : ",").append(ids[i]);
        }
        return sb.append(']');
    }

    /** A JSON string: quotes, backslashes, control characters and lone surrogates escaped. */
    static StringBuilder string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                sb.append(String.format("\\u%04x", (int) c)); // UTF-8 has no form for it
            } else {
                sb.append(c);
            }
        }
        return sb.append('"');
    }
}
