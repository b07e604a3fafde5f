package io.parallelix.node.gpu.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A byte-level BPE tokenizer.json (GPT-2's scheme: every byte is a token, so any text encodes and
 * decodes back) whose vocabulary is exactly the model's: ids 0..255 are the bytes (id = byte
 * value, shown through GPT-2's bytes_to_unicode), then merges, then the special tokens. The merges
 * start with common English pairs ("Ġthe", "Ġworld", "Hello") and are filled up with letter
 * sequences ("Ġa", "ab", "abc", ...) to the size asked for.
 */
final class ByteLevelBpe {
    private static final List<String> ENGLISH = List.of(
            "Ġ t", "h e", "i n", "e r", "a n", "o n", "r e", "Ġ a", "Ġ s", "Ġ w", "Ġ o", "Ġ c", "Ġ b", "Ġ f", "Ġ m",
            "Ġ p", "Ġ i", "Ġ h", "Ġ d", "Ġ l", "Ġ n", "e n", "o r", "a t", "i s", "e s", "o u", "i t", "l l", "e d",
            "a r", "a l", "n d", "Ġt he", "in g", "Ġa nd", "Ġo f", "Ġt o", "Ġi s", "Ġ T", "Ġ H", "Ġ W", "Ġ I", "H e",
            "l o", "Ġw or", "l d", "Ġwor ld", "ll o", "He llo", "Ġ 1", "Ġ 2", ". Ċ", "Ġ y", "o w", "Ġy ou", "Ġ g",
            "Ġ e", "Ġ r", "Ġ u", "Ġ k", "a y", "Ġd ay", "Ġ S", "Ġ A");

    private ByteLevelBpe() {}

    /** GPT-2's bytes_to_unicode: printable bytes stand for themselves, the others for U+0100 onwards. */
    static char[] byteChars() {
        char[] map = new char[256];
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[b] = printable ? (char) b : (char) (256 + shifted++);
        }
        return map;
    }

    /** The tokenizer.json tree; {@code bos} (a special token) is prepended by the post-processor, or null. */
    static ObjectNode tokenizerJson(ObjectMapper json, DecoderSpec spec, @Nullable String bos) {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (char c : byteChars()) {
            vocab.put(String.valueOf(c), vocab.size());
        }
        List<String> merges =
                merges(vocab, spec.vocabSize() - 256 - spec.specialTokens().size());
        ObjectNode root = json.createObjectNode().put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String special : spec.specialTokens()) {
            added.addObject()
                    .put("id", spec.specialTokenId(special))
                    .put("content", special)
                    .put("single_word", false)
                    .put("lstrip", false)
                    .put("rstrip", false)
                    .put("normalized", false)
                    .put("special", true);
        }
        root.putNull("normalizer");
        root.set("pre_tokenizer", byteLevel(json, false, true));
        ObjectNode byteLevelPost = byteLevel(json, true, false);
        if (bos == null) {
            root.set("post_processor", byteLevelPost);
        } else {
            ObjectNode sequence = root.putObject("post_processor").put("type", "Sequence");
            sequence.putArray("processors").add(byteLevelPost).add(prependBos(json, bos, spec.specialTokenId(bos)));
        }
        root.set("decoder", byteLevel(json, true, true));
        ObjectNode model = root.putObject("model").put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false).put("byte_fallback", false);
        ObjectNode v = model.putObject("vocab");
        vocab.forEach(v::put);
        ArrayNode m = model.putArray("merges");
        merges.forEach(m::add);
        return root;
    }

    /** {@code count} merges, each of two tokens already in {@code vocab}; adds their results to it. */
    static List<String> merges(Map<String, Integer> vocab, int count) {
        List<String> merges = new ArrayList<>();
        for (String merge : ENGLISH) {
            if (merges.size() == count) {
                return merges;
            }
            String[] parts = merge.split(" ", -1);
            if (!vocab.containsKey(parts[0])
                    || !vocab.containsKey(parts[1])
                    || vocab.containsKey(parts[0] + parts[1])) {
                throw new IllegalStateException("invalid merge '" + merge + "'");
            }
            vocab.put(parts[0] + parts[1], vocab.size());
            merges.add(merge);
        }
        List<String> level = new ArrayList<>(List.of("Ġ"));
        for (char c = 'a'; c <= 'z'; c++) {
            level.add(String.valueOf(c));
        }
        while (merges.size() < count) {
            List<String> longer = new ArrayList<>();
            for (String prefix : level) {
                for (char c = 'a'; c <= 'z' && merges.size() < count; c++) {
                    String token = prefix + c;
                    if (!vocab.containsKey(token)) {
                        vocab.put(token, vocab.size());
                        merges.add(prefix + " " + c);
                    }
                    longer.add(token);
                }
            }
            level = longer;
        }
        return merges;
    }

    private static ObjectNode byteLevel(ObjectMapper json, boolean addPrefixSpace, boolean trimOffsets) {
        return json.createObjectNode()
                .put("type", "ByteLevel")
                .put("add_prefix_space", addPrefixSpace)
                .put("trim_offsets", trimOffsets)
                .put("use_regex", true);
    }

    /** Llama-3's TemplateProcessing: the bos token before each sequence. */
    private static ObjectNode prependBos(ObjectMapper json, String bos, int bosId) {
        ObjectNode t = json.createObjectNode().put("type", "TemplateProcessing");
        ArrayNode single = t.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = t.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 1);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode special = t.putObject("special_tokens").putObject(bos).put("id", bos);
        special.putArray("ids").add(bosId);
        special.putArray("tokens").add(bos);
        return t;
    }
}
