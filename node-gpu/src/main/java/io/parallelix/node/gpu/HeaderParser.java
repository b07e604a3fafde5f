package io.parallelix.node.gpu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a safetensors header as the canonical writer spells it: no whitespace, keys in strictly
 * increasing code-point order, each tensor exactly {"data_offsets":[b,e],"dtype":"..","shape":[..]},
 * and "__metadata__" an object of strings. Values are TensorEntry or Map of String to String.
 */
final class HeaderParser {
    record TensorEntry(long begin, long end, String dtype, List<Long> shape) {}

    private final String json;
    private int pos;

    HeaderParser(String json) {
        this.json = json;
    }

    Map<String, Object> parse() {
        Map<String, Object> entries = new LinkedHashMap<>();
        expect('{');
        String previous = "";
        while (peek() != '}') {
            if (!entries.isEmpty()) {
                expect(',');
            }
            String key = string();
            if (!entries.isEmpty() && CanonicalJson.CODE_POINT_ORDER.compare(previous, key) >= 0) {
                throw error("key '" + key + "' is not after '" + previous + "' in code-point order");
            }
            previous = key;
            expect(':');
            entries.put(key, key.equals(SafetensorsWriter.METADATA_KEY) ? metadata() : tensor());
        }
        expect('}');
        if (pos != json.length()) {
            throw error("unexpected text after the header object");
        }
        return entries;
    }

    private TensorEntry tensor() {
        expectText("{\"data_offsets\":[");
        long begin = number();
        expect(',');
        long end = number();
        expectText("],\"dtype\":");
        String dtype = string();
        expectText(",\"shape\":[");
        List<Long> shape = new ArrayList<>();
        while (peek() != ']') {
            if (!shape.isEmpty()) {
                expect(',');
            }
            shape.add(number());
        }
        expectText("]}");
        if (end < begin) {
            throw error("data_offsets end before they begin");
        }
        return new TensorEntry(begin, end, dtype, shape);
    }

    private Map<String, String> metadata() {
        Map<String, String> meta = new LinkedHashMap<>();
        expect('{');
        while (peek() != '}') {
            if (!meta.isEmpty()) {
                expect(',');
            }
            String key = string();
            expect(':');
            if (meta.put(key, string()) != null) {
                throw error("metadata key '" + key + "' appears twice");
            }
        }
        expect('}');
        return meta;
    }

    private long number() {
        int start = pos;
        while (pos < json.length() && json.charAt(pos) >= '0' && json.charAt(pos) <= '9') {
            pos++;
        }
        String digits = json.substring(start, pos);
        if (digits.isEmpty() || (digits.length() > 1 && digits.charAt(0) == '0') || digits.length() > 18) {
            throw error("expected a non-negative integer without leading zeros");
        }
        return Long.parseLong(digits);
    }

    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (pos + 4 > json.length()) {
                        throw error("truncated \\u escape");
                    }
                    try {
                        out.append((char) Integer.parseInt(json.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException x) {
                        throw error("bad \\u escape");
                    }
                    pos += 4;
                }
                default -> throw error("bad escape \\" + e);
            }
        }
    }

    private void expectText(String text) {
        if (!json.startsWith(text, pos)) {
            throw error("expected " + text);
        }
        pos += text.length();
    }

    private void expect(char c) {
        if (next() != c) {
            throw error("expected '" + c + "'");
        }
    }

    private char peek() {
        if (pos >= json.length()) {
            throw error("header ends early");
        }
        return json.charAt(pos);
    }

    private char next() {
        char c = peek();
        pos++;
        return c;
    }

    private IllegalArgumentException error(String message) {
        return SafetensorsReader.fail(message + " at header offset " + pos);
    }
}
