package io.parallelix.node.daemon.error;

import org.jspecify.annotations.Nullable;

/** How a library's message is shown to a client or an operator: its first line, clipped. */
public final class Messages {
    /** Longer than any message of ours; short enough that no payload rides along. */
    static final int MAX_CHARS = 300;

    private Messages() {}

    /** A name the client sent, as an error may quote it: at most 64 chars. */
    public static String clip(String name) {
        return name.length() <= 64 ? name : name.substring(0, 64) + "...";
    }

    /** The first line of {@code message} (empty for null), at most {@value #MAX_CHARS} chars. */
    public static String firstLine(@Nullable String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() <= MAX_CHARS ? line : line.substring(0, MAX_CHARS) + "...";
    }
}
