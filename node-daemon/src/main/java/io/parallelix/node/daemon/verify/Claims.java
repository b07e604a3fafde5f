package io.parallelix.node.daemon.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.gpu.FinishReason;
import io.parallelix.node.gpu.TokenLogprobs;
import io.parallelix.node.gpu.verify.GenerationClaim;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Reads a signed OpenAI result back into what a check compares (docs/openai-generation.md,
 * docs/protocol.md): embeddings' vectors, a generation's choices (whole body, or the events of a
 * stream joined per choice), and the {@code pxnode} facts it carries. A result that is signed but
 * is not what its format says is the claimer's fault: {@link Malformed}, which rejects the claim.
 */
public final class Claims {
    /** OpenAI's stand-in for −∞ (GenerationJson writes it for a token the model rules out). */
    private static final double NEG_INF_LOGPROB = -9999.0;

    private Claims() {}

    /** The signed result does not read as the format its answer names. */
    public static final class Malformed extends Exception {
        public Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** A generation as claimed: its choices, and the pxnode facts (null when absent). */
    public record Generation(
            List<GenerationClaim.Choice> choices,
            int @Nullable [] promptIds,
            @Nullable String modelSha256,
            Map<String, String> runtime) {}

    public static JsonNode json(ObjectMapper mapper, byte[] result) throws Malformed {
        try {
            JsonNode root = mapper.readTree(result);
            if (root == null || !root.isObject()) {
                throw new Malformed("the result is not a JSON object");
            }
            return root;
        } catch (IOException e) {
            throw new Malformed(
                    "the result is not JSON: " + io.parallelix.node.daemon.error.Messages.firstLine(e.getMessage()));
        }
    }
    /**
     * pxnode.runtime (the signed fingerprint) as safetensors-style metadata, {@code pxnode.<name>}
     * to the value's text, nulls left out: the form a tensor result carries it in.
     */
    public static Map<String, String> runtime(JsonNode root) {
        Map<String, String> out = new TreeMap<>();
        root.path("pxnode").path("runtime").fields().forEachRemaining(f -> {
            if (f.getValue().isValueNode() && !f.getValue().isNull()) {
                out.put("pxnode." + f.getKey(), f.getValue().asText());
            }
        });
        return out;
    }

    /** pxnode.model_sha256, when the result carries it. */
    public static @Nullable String modelSha256(JsonNode root) {
        JsonNode v = root.path("pxnode").path("model_sha256");
        return v.isTextual() ? v.asText() : null;
    }

    /** data[i].embedding in index order, JSON numbers or base64 of little-endian float32. */
    public static List<float[]> embeddings(JsonNode root) throws Malformed {
        JsonNode data = root.path("data");
        if (!data.isArray()) {
            throw new Malformed("the result has no data array");
        }
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            JsonNode item = data.get(i);
            if (item.path("index").asInt(-1) != i) {
                throw new Malformed("data[" + i + "] has index " + item.path("index"));
            }
            JsonNode e = item.path("embedding");
            if (e.isTextual()) {
                byte[] b = base64(e.asText(), "data[" + i + "].embedding");
                if (b.length % Float.BYTES != 0) {
                    throw new Malformed("data[" + i + "].embedding is not whole float32s");
                }
                float[] v = new float[b.length / Float.BYTES];
                ByteBuffer.wrap(b)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .asFloatBuffer()
                        .get(v);
                out.add(v);
            } else if (e.isArray()) {
                float[] v = new float[e.size()];
                for (int j = 0; j < v.length; j++) {
                    if (!e.get(j).isNumber()) {
                        throw new Malformed("data[" + i + "].embedding[" + j + "] is not a number");
                    }
                    v[j] = e.get(j).floatValue();
                }
                out.add(v);
            } else {
                throw new Malformed("data[" + i + "].embedding is neither numbers nor base64");
            }
        }
        return out;
    }

    /** A whole completions or chat completions body. */
    public static Generation whole(JsonNode root, boolean chat) throws Malformed {
        JsonNode choices = root.path("choices");
        if (!choices.isArray()) {
            throw new Malformed("the result has no choices array");
        }
        Map<Integer, Builder> by = new TreeMap<>();
        for (JsonNode c : choices) {
            builder(by, c).add(c, chat ? c.path("message").path("content") : c.path("text"), chat);
        }
        return generation(by, root);
    }

    /** The events of a stream (the signed result: every byte before the trailer), joined per choice. */
    public static Generation stream(ObjectMapper mapper, byte[] events, boolean chat) throws Malformed {
        Map<Integer, Builder> by = new TreeMap<>();
        JsonNode first = null;
        String[] lines = new String(events, StandardCharsets.UTF_8).split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            if (line.isEmpty() || line.startsWith(":")) {
                continue;
            }
            if (!line.startsWith("data: ")) {
                throw new Malformed("line " + (n + 1) + " of the stream is not a data line");
            }
            JsonNode chunk = json(mapper, line.substring(6).getBytes(StandardCharsets.UTF_8));
            first = first == null ? chunk : first;
            for (JsonNode c : chunk.path("choices")) {
                builder(by, c).add(c, chat ? c.path("delta").path("content") : c.path("text"), chat);
            }
        }
        if (first == null) {
            throw new Malformed("the stream has no events");
        }
        return generation(by, first);
    }

    private static Builder builder(Map<Integer, Builder> by, JsonNode choice) throws Malformed {
        JsonNode index = choice.path("index");
        if (!index.canConvertToInt() || index.asInt() < 0 || by.size() > 64) {
            throw new Malformed("a choice has no valid index");
        }
        return by.computeIfAbsent(index.asInt(), Builder::new);
    }

    private static Generation generation(Map<Integer, Builder> by, JsonNode root) throws Malformed {
        List<GenerationClaim.Choice> choices = new ArrayList<>();
        for (Builder b : by.values()) {
            choices.add(b.build());
        }
        JsonNode prompt = root.path("pxnode").path("prompt_token_ids");
        int[] promptIds = prompt.isArray() ? ids(prompt, "pxnode.prompt_token_ids") : null;
        return new Generation(choices, promptIds, modelSha256(root), runtime(root));
    }

    private static int[] ids(JsonNode array, String where) throws Malformed {
        int[] ids = new int[array.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode id = array.get(i);
            if (!id.canConvertToInt() || id.asInt() < 0) {
                throw new Malformed(where + "[" + i + "] is not a token id");
            }
            ids[i] = id.asInt();
        }
        return ids;
    }

    private static byte[] base64(String text, String where) throws Malformed {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new Malformed(where + " is not base64");
        }
    }

    private static double logprob(JsonNode v) {
        double lp = v.asDouble(Double.NaN);
        return lp == NEG_INF_LOGPROB ? Double.NEGATIVE_INFINITY : lp;
    }

    /** One choice as its pieces arrive. */
    private static final class Builder {
        final int index;
        final StringBuilder text = new StringBuilder();
        final List<Integer> ids = new ArrayList<>();
        final List<TokenLogprobs> logprobs = new ArrayList<>();
        boolean hasLogprobs;

        @Nullable
        FinishReason finish;

        Builder(int index) {
            this.index = index;
        }
        /** One piece of the choice: a whole answer's choice, or one event's. */
        void add(JsonNode choice, JsonNode text, boolean chat) throws Malformed {
            this.text.append(text.asText(""));
            ids(choice.path("token_ids"));
            logprobs(choice.path("logprobs"), chat);
            finish(choice.path("finish_reason"));
        }

        void ids(JsonNode tokenIds) throws Malformed {
            if (!tokenIds.isArray()) {
                throw new Malformed("choice " + index + " has no token_ids");
            }
            for (int id : Claims.ids(tokenIds, "choices[" + index + "].token_ids")) {
                ids.add(id);
            }
        }

        void finish(JsonNode reason) throws Malformed {
            if (reason.isNull() || reason.isMissingNode()) {
                return;
            }
            finish = switch (reason.asText()) {
                case "stop" -> FinishReason.STOP;
                case "length" -> FinishReason.LENGTH;
                default -> throw new Malformed("choice " + index + " has finish_reason " + reason);
            };
        }

        /** Completions: tokens / token_logprobs / top_logprobs maps; chat: content[]. Ids of alternatives are not on the wire (-1). */
        void logprobs(JsonNode lp, boolean chat) throws Malformed {
            if (lp.isNull() || lp.isMissingNode()) {
                return;
            }
            hasLogprobs = true;
            int at = logprobs.size();
            if (chat) {
                for (JsonNode t : lp.path("content")) {
                    List<TokenLogprobs.Top> top = new ArrayList<>();
                    for (JsonNode alt : t.path("top_logprobs")) {
                        top.add(new TokenLogprobs.Top(-1, alt.path("token").asText(""), logprob(alt.path("logprob"))));
                    }
                    logprobs.add(
                            new TokenLogprobs(id(at++), t.path("token").asText(""), logprob(t.path("logprob")), top));
                }
                return;
            }
            JsonNode tokens = lp.path("tokens");
            JsonNode values = lp.path("token_logprobs");
            JsonNode tops = lp.path("top_logprobs");
            if (!tokens.isArray() || !values.isArray() || tokens.size() != values.size()) {
                throw new Malformed(
                        "choice " + index + " has logprobs whose tokens and token_logprobs differ in length");
            }
            for (int k = 0; k < tokens.size(); k++) {
                List<TokenLogprobs.Top> top = new ArrayList<>();
                JsonNode map = tops.path(k);
                for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    top.add(new TokenLogprobs.Top(-1, e.getKey(), logprob(e.getValue())));
                }
                logprobs.add(new TokenLogprobs(id(at++), tokens.get(k).asText(""), logprob(values.get(k)), top));
            }
        }

        /** The id of the k-th token with logprobs: the ids come in the same events, before or after. */
        private int id(int k) {
            return k < ids.size() ? ids.get(k) : -1;
        }

        GenerationClaim.Choice build() throws Malformed {
            if (finish == null) {
                throw new Malformed("choice " + index + " has no finish_reason");
            }
            int[] tokenIds = ids.stream().mapToInt(Integer::intValue).toArray();
            List<TokenLogprobs> lps = new ArrayList<>();
            for (int k = 0; k < logprobs.size(); k++) { // a stream's ids may follow the logprobs in one event
                TokenLogprobs t = logprobs.get(k);
                lps.add(
                        t.id() >= 0 || k >= tokenIds.length
                                ? t
                                : new TokenLogprobs(tokenIds[k], t.token(), t.logprob(), t.top()));
            }
            return new GenerationClaim.Choice(index, tokenIds, text.toString(), finish, hasLogprobs ? lps : null);
        }
    }
}
