package io.parallelix.node.gpu.sampling;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI's {@code stop}: up to 4 strings; generation ends where the first of them completes, and
 * neither it nor anything after it is returned. Fed the detokenised text piece by piece as tokens
 * arrive, it says what may be emitted now: everything except the longest tail that could still
 * grow into a stop string (and never half a surrogate pair), so no emitted text is ever taken back.
 * The result depends on the text only, never on how it was cut into pieces: the stop that ends
 * first wins, and of two ending at the same character the longer (earlier start). One per choice;
 * not thread-safe.
 */
public final class StopMatcher {
    public static final int MAX_STOPS = 4;
    public static final int MAX_STOP_LENGTH = 256;

    /** What to emit now; {@code stop} is the stop string that ended the text, or null. */
    public record Step(String text, @Nullable String stop) {
        public boolean stopped() {
            return stop != null;
        }
    }

    private final List<String> stops;
    private final StringBuilder held = new StringBuilder();
    private boolean ended;

    public StopMatcher(List<String> stops) {
        if (stops.size() > MAX_STOPS) {
            throw new IllegalArgumentException("stop takes at most " + MAX_STOPS + " strings, got " + stops.size());
        }
        for (String s : stops) {
            if (s.isEmpty() || s.length() > MAX_STOP_LENGTH) {
                throw new IllegalArgumentException(
                        "each stop string must have 1 to " + MAX_STOP_LENGTH + " characters, got " + s.length());
            }
            if (!wellFormed(s)) {
                throw new IllegalArgumentException("a stop string holds a lone surrogate (not valid Unicode text)");
            }
        }
        this.stops = List.copyOf(stops);
    }

    /** Takes the next piece of text; after a stop, nothing more may come. */
    public Step accept(String piece) {
        if (ended) {
            throw new IllegalStateException("the text already ended");
        }
        held.append(piece);
        String winner = null;
        int start = -1;
        int end = Integer.MAX_VALUE;
        for (String s : stops) {
            int at = held.indexOf(s);
            if (at >= 0 && (at + s.length() < end || (at + s.length() == end && at < start))) {
                winner = s;
                start = at;
                end = at + s.length();
            }
        }
        if (winner != null) {
            ended = true;
            String text = held.substring(0, start);
            held.setLength(0);
            return new Step(text, winner);
        }
        int cut = held.length() - longestTailThatStartsAStop();
        if (cut > 0 && Character.isHighSurrogate(held.charAt(cut - 1))) {
            cut--;
        }
        String text = held.substring(0, cut);
        held.delete(0, cut);
        return new Step(text, null);
    }

    /** The text still held back, once generation ended for another reason (length, EOS). */
    public String finish() {
        if (ended) {
            throw new IllegalStateException("the text already ended");
        }
        ended = true;
        String text = held.toString();
        held.setLength(0);
        return text;
    }

    private int longestTailThatStartsAStop() {
        int best = 0;
        for (String s : stops) {
            for (int len = Math.min(s.length() - 1, held.length()); len > best; len--) {
                if (endsWith(s, len)) {
                    best = len;
                    break;
                }
            }
        }
        return best;
    }

    /** Whether the held text ends with the first {@code len} characters of {@code s}. */
    private boolean endsWith(String s, int len) {
        int from = held.length() - len;
        for (int k = 0; k < len; k++) {
            if (held.charAt(from + k) != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
