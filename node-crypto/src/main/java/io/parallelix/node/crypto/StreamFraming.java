package io.parallelix.node.crypto;

import io.parallelix.node.crypto.SignedStream.Framed;
import io.parallelix.node.crypto.SignedStream.Malformed;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** {@link SignedStream#read}: a received stream split at its trailer, by the rules written there. */
final class StreamFraming {
    private static final byte[] PREFIX_BYTES = SignedStream.PREFIX.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END_BYTES = SignedStream.END.getBytes(StandardCharsets.US_ASCII);

    private StreamFraming() {}

    static SignedStream.Read split(byte[] raw) {
        int at = -1;
        int count = 0;
        for (int i = 0; i < raw.length; i++) {
            boolean lineStart = i == 0 || raw[i - 1] == '\n' || raw[i - 1] == '\r';
            if (lineStart
                    && Arrays.equals(
                            raw,
                            i,
                            Math.min(raw.length, i + PREFIX_BYTES.length),
                            PREFIX_BYTES,
                            0,
                            PREFIX_BYTES.length)) {
                at = count++ == 0 ? i : at;
            }
        }
        if (count == 0) {
            return new Malformed("no trailer: no line starts with \"" + SignedStream.PREFIX
                    + "\"; the stream is unsigned (one that ended in an error or was cut off proves nothing)");
        }
        if (count > 1) {
            return new Malformed(
                    count + " lines start with \"" + SignedStream.PREFIX + "\"; a signed stream has one trailer");
        }
        if (at > 0 && (at < 2 || raw[at - 2] != '\n' || raw[at - 1] != '\n')) {
            return new Malformed("the trailer line does not follow a blank line (\"\\n\\n\") as an event's end");
        }
        int end = at;
        while (end < raw.length && raw[end] != '\n' && raw[end] != '\r') {
            end++;
        }
        if (!Arrays.equals(raw, end, raw.length, END_BYTES, 0, END_BYTES.length)) {
            return new Malformed("the trailer line is followed by " + describe(raw, end)
                    + ", not exactly \"\\n\\ndata: [DONE]\\n\\n\"");
        }
        int start = at + PREFIX_BYTES.length;
        if (end - start > SignedStream.MAX_TRAILER) {
            return new Malformed(
                    "the trailer is " + (end - start) + " bytes; at most " + SignedStream.MAX_TRAILER + " are read");
        }
        for (int i = start; i < end; i++) {
            if (raw[i] < 0x20 || raw[i] > 0x7e) {
                return new Malformed(String.format(
                        "the trailer has byte 0x%02x at column %d; it is printable ASCII",
                        raw[i] & 0xff, i - start + 1));
            }
        }
        try {
            StreamTrailer trailer =
                    StreamTrailer.of(TrailerJson.parse(new String(raw, start, end - start, StandardCharsets.US_ASCII)));
            return new Framed(Arrays.copyOf(raw, at), trailer);
        } catch (IllegalArgumentException e) {
            return new Malformed("trailer: " + e.getMessage());
        }
    }

    /** What follows the trailer line, for a message: a short, escaped prefix and the length. */
    private static String describe(byte[] raw, int from) {
        int n = raw.length - from;
        if (n == 0) {
            return "the end of the stream";
        }
        StringBuilder b = new StringBuilder("\"");
        int i = from;
        for (; i < raw.length && b.length() < Printable.MAX; i++) {
            int c = raw[i] & 0xff;
            b.append(
                    c == '\n'
                            ? "\\n"
                            : c == '\r'
                                    ? "\\r"
                                    : c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return b.append(i < raw.length ? "...\"" : "\"")
                .append(" (")
                .append(n)
                .append(" bytes)")
                .toString();
    }
}
