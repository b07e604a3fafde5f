package io.parallelix.node.gpu.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The ids a {@code tokenizer.json} defines: its model's vocabulary (a token-to-id object for BPE,
 * WordPiece and WordLevel, a list of {@code [piece, score]} for Unigram) and its
 * {@code added_tokens}. DJL's JNI does not expose these, so we stream the JSON once (the merges,
 * megabytes of them, are skipped). Lookups follow the Rust library: added tokens first.
 */
final class Vocabulary {
    private static final JsonFactory JSON = new JsonFactory();

    private final Map<String, Integer> added;
    private final Map<String, Integer> model;
    private final BitSet ids;

    private Vocabulary(Map<String, Integer> added, Map<String, Integer> model, BitSet ids) {
        this.added = added;
        this.model = model;
        this.ids = ids;
    }

    static Vocabulary parse(byte[] json, String source) throws TokenizerException {
        Map<String, Integer> added = new HashMap<>();
        Map<String, Integer> model = new HashMap<>();
        boolean sawVocab = false;
        try (JsonParser p = JSON.createParser(json)) {
            expect(p.nextToken() == JsonToken.START_OBJECT, source, "the top level is not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("added_tokens") && p.currentToken() == JsonToken.START_ARRAY) {
                    readAdded(p, added, source);
                } else if (field.equals("model") && p.currentToken() == JsonToken.START_OBJECT) {
                    sawVocab = readModel(p, model, source);
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new TokenizerException(
                    source + " is not valid JSON: " + e.getMessage()
                            + ". Fix: use the tokenizer.json the model was exported with.",
                    e);
        }
        expect(sawVocab, source, "has no model.vocab");
        BitSet ids = new BitSet();
        added.values().forEach(ids::set);
        model.values().forEach(ids::set);
        return new Vocabulary(added, model, ids);
    }

    /** Highest id + 1, added tokens included. */
    int size() {
        return ids.length();
    }

    boolean contains(int id) {
        return id >= 0 && ids.get(id);
    }

    OptionalInt id(String token) {
        Integer id = added.get(token);
        if (id == null) {
            id = model.get(token);
        }
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    private static void readAdded(JsonParser p, Map<String, Integer> added, String source)
            throws IOException, TokenizerException {
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String content = null;
            int id = -1;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("content") && p.currentToken() == JsonToken.VALUE_STRING) {
                    content = p.getText();
                } else if (field.equals("id")) {
                    id = readId(p, source, "added_tokens[].id");
                } else {
                    p.skipChildren();
                }
            }
            expect(content != null && id >= 0, source, "an entry of added_tokens lacks its content or id");
            added.put(content, id);
        }
    }

    private static boolean readModel(JsonParser p, Map<String, Integer> model, String source)
            throws IOException, TokenizerException {
        boolean sawVocab = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("vocab") && value == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String token = p.currentName();
                    p.nextToken();
                    model.put(token, readId(p, source, "model.vocab[\"" + token + "\"]"));
                }
                sawVocab = true;
            } else if (field.equals("vocab") && value == JsonToken.START_ARRAY) {
                // Unigram: the id is the position; each entry is [piece, score].
                for (int id = 0; p.nextToken() == JsonToken.START_ARRAY; id++) {
                    expect(p.nextToken() == JsonToken.VALUE_STRING, source, "model.vocab[" + id + "] has no piece");
                    model.put(p.getText(), id); // as the Rust map is built: a repeated piece keeps its last id
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        p.skipChildren();
                    }
                }
                sawVocab = true;
            } else {
                p.skipChildren();
            }
        }
        return sawVocab;
    }

    private static int readId(JsonParser p, String source, String field) throws IOException, TokenizerException {
        expect(
                p.currentToken() == JsonToken.VALUE_NUMBER_INT
                        && p.getNumberType() == JsonParser.NumberType.INT
                        && p.getIntValue() >= 0
                        && p.getIntValue() < Integer.MAX_VALUE,
                source,
                field + " is not a non-negative 32-bit integer");
        return p.getIntValue();
    }

    private static void expect(boolean ok, String source, String what) throws TokenizerException {
        if (!ok) {
            throw new TokenizerException(
                    source + ": " + what + ". Fix: use the tokenizer.json the model was exported with.");
        }
    }
}
