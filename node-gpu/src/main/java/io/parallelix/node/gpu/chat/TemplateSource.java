package io.parallelix.node.gpu.chat;

import java.util.regex.Pattern;

/**
 * Jinja2's source-level whitespace rules, applied before Jinjava sees the template, as
 * {@code @huggingface/jinja} does: Jinjava's own {@code lstripBlocks} also strips spaces before a
 * tag in the middle of a line ({@code "name: {% if %}"} loses its space), and its
 * {@code keepTrailingNewline=false} strips the output's last newline instead of the source's.
 */
final class TemplateSource {
    /** lstrip_blocks: spaces and tabs from a line's start up to a block or comment tag ({@code {%+} opts out). */
    private static final Pattern LSTRIP = Pattern.compile("(?m)^[ \\t]+(?=\\{[%#](?!\\+))");
    /** trim_blocks: the first newline after a block or comment tag ({@code +%}} opts out). */
    private static final Pattern TRIM = Pattern.compile("(?<!\\+)([%#]})\\n");

    private TemplateSource() {}

    static String prepare(String template) {
        String s = template.endsWith("\n") ? template.substring(0, template.length() - 1) : template;
        s = LSTRIP.matcher(s).replaceAll("");
        return TRIM.matcher(s).replaceAll("$1");
    }
}
