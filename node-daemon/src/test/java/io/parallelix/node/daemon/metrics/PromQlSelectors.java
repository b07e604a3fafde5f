package io.parallelix.node.daemon.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The series selectors of a PromQL expression as a dashboard writes them: every metric name with
 * its label matchers, skipping functions and aggregations (a name followed by "("), grouping
 * clauses ({@code by (le, stage)}, {@code on}, {@code ignoring}, {@code group_left}), range
 * selectors ({@code [$__rate_interval]}), durations ({@code offset 5m}), numbers, strings and Grafana
 * variables. Enough to check a dashboard against a scrape; not a PromQL parser: a selector without
 * a name ({@code {__name__=~"..."}}) throws, so that such a query is never silently skipped.
 */
final class PromQlSelectors {
    record Label(String name, String op, String value) {}

    record Selector(String metric, List<Label> labels) {}

    private static final Pattern GROUPING =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern TOKEN = Pattern.compile(
            "\"(?:[^\"\\\\]|\\\\.)*\"" // a string
                    + "|\\[[^\\]]*\\]" // a range or subquery
                    + "|\\$\\{?\\w+\\}?" // a Grafana variable
                    + "|(?:\\d+(?:ms|[smhdwy]))+\\b" // a duration
                    + "|\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?" // a number
                    + "|([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{[^}]*\\})?\\s*(\\()?" // a name, its matchers, a call
                    + "|(\\{)" // a selector without a name
                    + "|.",
            Pattern.DOTALL);
    private static final Pattern LABEL =
            Pattern.compile("([a-zA-Z_]\\w*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Set<String> KEYWORDS =
            Set.of("and", "or", "unless", "bool", "offset", "group_left", "group_right");

    private PromQlSelectors() {}

    static List<Selector> of(String expr) {
        List<Selector> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(GROUPING.matcher(expr).replaceAll(" "));
        while (m.find()) {
            if (m.group(4) != null) {
                throw new IllegalArgumentException("a selector without a metric name: " + expr);
            }
            String name = m.group(1);
            if (name == null || m.group(3) != null || KEYWORDS.contains(name)) {
                continue;
            }
            out.add(new Selector(name, labels(m.group(2) == null ? "" : m.group(2))));
        }
        return out;
    }

    private static List<Label> labels(String braces) {
        List<Label> out = new ArrayList<>();
        Matcher m = LABEL.matcher(braces);
        while (m.find()) {
            out.add(new Label(m.group(1), m.group(2), m.group(3)));
        }
        return out;
    }
}
