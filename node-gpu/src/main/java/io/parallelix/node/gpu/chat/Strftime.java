package io.parallelix.node.gpu.chat;

import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/** Python's {@code datetime.strftime} in the C locale, for the directives templates use. */
final class Strftime {
    private Strftime() {}

    static String format(ZonedDateTime t, String format) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (++i == format.length()) throw PyError.unsupported("a trailing '%' in a strftime format");
            char d = format.charAt(i);
            out.append(
                    switch (d) {
                        case 'd' -> two(t.getDayOfMonth());
                        case 'm' -> two(t.getMonthValue());
                        case 'Y' -> String.format("%04d", t.getYear());
                        case 'y' -> two(t.getYear() % 100);
                        case 'H' -> two(t.getHour());
                        case 'I' -> two((t.getHour() + 11) % 12 + 1);
                        case 'M' -> two(t.getMinute());
                        case 'S' -> two(t.getSecond());
                        case 'p' -> t.getHour() < 12 ? "AM" : "PM";
                        case 'j' -> String.format("%03d", t.getDayOfYear());
                        case 'b' -> t.getMonth().getDisplayName(TextStyle.SHORT, Locale.US);
                        case 'B' -> t.getMonth().getDisplayName(TextStyle.FULL, Locale.US);
                        case 'a' -> t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US);
                        case 'A' -> t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.US);
                        case '%' -> "%";
                        default -> throw PyError.unsupported("the strftime directive %" + d);
                    });
        }
        return out.toString();
    }

    private static String two(int v) {
        return String.format("%02d", v);
    }
}
