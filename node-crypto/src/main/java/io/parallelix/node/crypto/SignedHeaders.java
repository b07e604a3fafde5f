package io.parallelix.node.crypto;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * When an answer's body is itself the signed result (OIP octet-stream, OpenAI-shaped JSON), its
 * PoE travels in these response headers (docs/protocol.md, "PoE in headers"). The names are the
 * one definition the node writes and the verifiers read; {@link #parse} reads a header block as
 * {@code curl -D} writes it.
 */
public final class SignedHeaders {
    public static final String REQUEST_ID = "Pxnode-Request-Id";
    public static final String NODE_ID = "Pxnode-Node-Id";
    public static final String POE = "Pxnode-Poe";
    public static final String SIG = "Pxnode-Sig";
    public static final String SIG_ALG = "Pxnode-Sig-Alg";
    public static final String POE_VERSION = "Pxnode-Poe-Version";
    /** Not signed: tells the reader how to parse the body. */
    public static final String RESULT_FORMAT = "Pxnode-Result-Format";
    /** Not signed: the meta object as JSON, for people and dashboards. */
    public static final String META = "Pxnode-Meta";

    private SignedHeaders() {}

    /**
     * Header names (lowercase) to their values in order, from a raw block: a status line, then
     * {@code Name: value} lines, CRLF or LF. When the block holds several responses (a 100
     * Continue, a redirect followed), the last one counts. Values lose surrounding spaces and tabs.
     * Throws IllegalArgumentException naming the first line that is not a header.
     */
    public static Map<String, List<String>> parse(String block) {
        List<String> lines = lastResponse(block.split("\r?\n", -1));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int colon = line.indexOf(':');
            if (colon <= 0 || !token(line.substring(0, colon))) {
                throw new IllegalArgumentException(
                        "header line " + (i + 1) + " is not 'Name: value': \"" + Printable.truncate(line) + "\"");
            }
            headers.computeIfAbsent(line.substring(0, colon).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(trim(line.substring(colon + 1)));
        }
        return headers;
    }

    /** The header lines of the last response in the block, without its status line. */
    private static List<String> lastResponse(String[] lines) {
        List<String> current = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("HTTP/")) {
                current = new ArrayList<>(); // a new response begins: drop the interim one
            } else if (!line.isEmpty()) {
                current.add(line);
            }
        }
        return current;
    }

    /** RFC 9110 token characters: what a header name may be made of. */
    private static boolean token(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String trim(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && (value.charAt(start) == ' ' || value.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (value.charAt(end - 1) == ' ' || value.charAt(end - 1) == '\t')) {
            end--;
        }
        return value.substring(start, end);
    }

    /** One header's value, or why there is none to use. */
    sealed interface Value {
        record Present(String value) implements Value {}

        record Problem(String detail) implements Value {}
    }

    /** The single value of {@code name} (any case); missing or repeated is a problem. */
    static Value one(Map<String, List<String>> headers, String name) {
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                values.addAll(e.getValue());
            }
        }
        if (values.isEmpty()) {
            return new Value.Problem("missing header " + name);
        }
        if (values.size() > 1) {
            return new Value.Problem("header " + name + " appears " + values.size() + " times; it must appear once");
        }
        return new Value.Present(values.get(0));
    }

    static @Nullable String problem(Value v) {
        return v instanceof Value.Problem p ? p.detail() : null;
    }

    static String value(Value v) {
        return ((Value.Present) v).value();
    }
}
