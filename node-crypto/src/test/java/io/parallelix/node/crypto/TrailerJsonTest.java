package io.parallelix.node.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.crypto.TrailerJson.Value;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrailerJsonTest {
    @Test
    void parse_stringsIntegersAndNestedObjects_inOrder() {
        Map<String, Value> m =
                TrailerJson.parse("{\"a\":\"x\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83C\\udf0d\",\"b\":-0,\"c\":120,"
                        + "\"d\":{\"e\":[1, {\"f\":\"}]\\\"\"}], \"g\" : null},\"\":{}}");
        assertThat(m.keySet()).containsExactly("a", "b", "c", "d", "");
        assertThat(m.get("a")).isEqualTo(new Value.Text("x\"\\/\b\f\n\r\t\u00e9\ud83c\udf0d"));
        assertThat(m.get("b")).isEqualTo(new Value.Int("-0"));
        assertThat(m.get("c")).isEqualTo(new Value.Int("120"));
        assertThat(m.get("d")).isEqualTo(new Value.Nested("{\"e\":[1, {\"f\":\"}]\\\"\"}], \"g\" : null}"));
        assertThat(TrailerJson.parse("{}")).isEmpty();
    }

    @Test
    void parse_whatIsNotThisGrammar_isRefusedNamingTheColumn() {
        String[][] cases = {
            {"", "column 1: expected '{', the text ends"},
            {"{\"a\":01}", "column 7: expected '}', found '1'"},
            {"{\"a\":-}", "column 7: an integer needs a digit after '-'"},
            {"{\"a\":1e3}", "found 'e'"},
            {"{\"a\":null}", "must be a string, an integer or an object"},
            {"{\"a\":[1]}", "must be a string, an integer or an object"},
            {"{\"a\":1,}", "column 8: expected '\"', found '}'"},
            {"{\"a\":1}{}", "column 8: text after the object's end"},
            {"{\"a\":1,\"a\":2}", "column 8: name \"a\" appears twice"},
            {"{\"a\":\"x", "the text ends inside a string"},
            {"{\"a\":\"\\u12\"}", "\\u needs four hex digits"},
            {"{\"a\":{\"b\":[}}", "'}' closes a '['"},
            {"{\"a\":{\"b\":\"}\"", "the text ends inside an object"},
            {"{\"a\":{\"b\":\"}\"}", "expected '}', the text ends"},
            {"{\"a\":{" + "[".repeat(40) + "}", "nested deeper than 32"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> TrailerJson.parse(c[0]))
                    .as(c[0])
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(c[1]);
        }
    }
}
