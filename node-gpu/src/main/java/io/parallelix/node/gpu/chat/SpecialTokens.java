package io.parallelix.node.gpu.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The special tokens a template may print ({@code {{ bos_token }}}), as transformers passes them:
 * its {@code special_tokens_map}, i.e. only the ones that are set. A token is a string or an
 * AddedToken object ({@code {"content": "<s>", ...}}) in tokenizer_config.json.
 */
public record SpecialTokens(Map<String, String> tokens, List<String> additional) {
    /** transformers' SPECIAL_TOKENS_ATTRIBUTES, less additional_special_tokens. */
    static final List<String> NAMES =
            List.of("bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token");

    public static final SpecialTokens NONE = new SpecialTokens(Map.of(), List.of());

    public SpecialTokens {
        for (String name : tokens.keySet()) {
            if (!NAMES.contains(name)) throw new IllegalArgumentException("not a special token: " + name);
        }
        tokens = Map.copyOf(tokens);
        additional = List.copyOf(additional);
    }

    public static SpecialTokens of(@Nullable String bos, @Nullable String eos) {
        Map<String, String> t = new LinkedHashMap<>();
        if (bos != null) t.put("bos_token", bos);
        if (eos != null) t.put("eos_token", eos);
        return new SpecialTokens(t, List.of());
    }

    /** Reads the tokens from a parsed tokenizer_config.json; a token of another shape is refused. */
    public static SpecialTokens fromTokenizerConfig(JsonNode config) throws ChatTemplateException {
        Map<String, String> t = new LinkedHashMap<>();
        for (String name : NAMES) {
            String v = token(config.get(name), name);
            if (v != null) t.put(name, v);
        }
        List<String> more = new ArrayList<>();
        JsonNode extra = config.get("additional_special_tokens");
        if (extra != null && !extra.isNull()) {
            if (!extra.isArray()) throw new ChatTemplateException("additional_special_tokens is not a list");
            for (JsonNode e : extra) {
                String v = token(e, "additional_special_tokens[]");
                if (v == null) throw new ChatTemplateException("additional_special_tokens holds a null");
                more.add(v);
            }
        }
        return new SpecialTokens(t, more);
    }

    private static @Nullable String token(@Nullable JsonNode node, String name) throws ChatTemplateException {
        if (node == null || node.isNull()) return null;
        if (node.isTextual()) return node.asText();
        if (node.isObject() && node.path("content").isTextual())
            return node.get("content").asText();
        throw new ChatTemplateException(name + " in tokenizer_config.json is neither a string nor {\"content\": ...}");
    }

    /** The template variables: each set token by name, and the additional ones as a list when any. */
    Map<String, Object> bindings() {
        Map<String, Object> b = new LinkedHashMap<>(tokens);
        if (!additional.isEmpty()) b.put("additional_special_tokens", List.copyOf(additional));
        return b;
    }
}
