package io.parallelix.node.gpu.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Known answers from CPython 3.11 / Jinja2 3.1 for the expressions where Jinjava and Java differ. */
class PythonSemanticsTest {
    static String render(String template) throws ChatTemplateException {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("s", "a.b..c");
        vars.put("n", 7L);
        return ChatTemplate.compile(template, SpecialTokens.NONE, HfJinjaCasesTest.CLOCK)
                .renderVariables(vars);
    }

    @ParameterizedTest
    @CsvSource(
            delimiterString = " => ",
            quoteCharacter = '`',
            value = {
                "{{ 1e16 }} => 1e+16",
                "{{ 123456789012345.0 }} => 123456789012345.0",
                "{{ 0.0001 }} => 0.0001",
                "{{ 0.00001 }} => 1e-05",
                "{{ 0.1 + 0.2 }} => 0.30000000000000004",
                "{{ 4 / 2 }} => 2.0",
                "{{ n // -2 }} => -4",
                "{{ -n % 3 }} => 2",
                "{{ n % -3 }} => -2",
                "{{ 1 == 1.0 }} => True",
                "{{ '1' == 1 }} => False",
                "{{ true == 1 }} => True",
                "{{ [1, 'a', none, true, 1.5] }} => [1, 'a', None, True, 1.5]",
                "`{{ [\"it's\"] }}` => `[\"it's\"]`",
                "{{ {'k': (1, 2)} }} => {'k': (1, 2)}",
                "{{ s.split('.') }} => ['a', 'b', '', 'c']",
                "{{ ' a  b '.split() }} => ['a', 'b']",
                "{{ ' a b c '.split(none, 1) }} => ['a', 'b c ']",
                "{{ 'abc'[::-1] }} => cba",
                "{{ 'abcdef'[1:5:2] }} => bd",
                "{{ [1, 2, 3][-1] }} => 3",
                "{{ [1, 2, 3][5] }} => ``",
                "{{ '\u00a0x\u3000'.strip() }} => x",
                "{{ 'xxaxx'.strip('x') }} => a",
                "{{ 'ab'.replace('', '-') }} => -a-b-",
                "{{ 'aaa'.replace('a', 'b', 2) }} => bba",
                "{{ 'hello world'.title() }} => Hello World",
                "{{ \"they're\"|title }} => They're",
                "{{ \"they're\".title() }} => They'Re",
                "{{ 'ab'.startswith(('x', 'a')) }} => True",
                "{{ '\u00e9\ud83d\ude00'|length }} => 2",
                "{{ '\ud83d\ude00x'[1] }} => x",
                "{{ 'x' * 3 }} => xxx",
                "{{ 0 or 'y' }} => y",
                "{{ 'x' and 0 }} => 0",
                "{{ not 0 == 1 }} => True",
                "{{ 'b' in 'abc' }} => True",
                "{{ {'a': 1, 'b': [1, 2.5]}|tojson }} => `{\"a\": 1, \"b\": [1, 2.5]}`",
                "{{ {'b': 1, 'a': 2}|tojson(sort_keys=true) }} => `{\"a\": 2, \"b\": 1}`",
                "{{ [3, 1]|join(', ') }} => `3, 1`",
                "{% for k, v in {'a': 1}|items %}{{ k }}{{ v }}{% endfor %} => a1",
                "{% for x in [1, 2, 3, 4] if x is even %}{{ loop.index }}:{{ x }}{{ ',' if not loop.last }}{% endfor %} => `1:2,2:4`",
                "{{ [{'t': 'a'}, {'t': 'b'}]|selectattr('t', 'equalto', 'b')|map(attribute='t')|list }} => ['b']",
                "{{ none|default('d') }} => None",
                "{{ nothing|default('d') }} => d",
                "{{ ''|default('d', true) }} => d",
                "{% set ns = namespace(i=0) %}{% for x in 'abc' %}{% set ns.i = ns.i + 1 %}{% endfor %}{{ ns.i }} => 3",
                "{% macro f(a, b='B') %}{{ a }}{{ b }}{% endmacro %}{{ f('A') }} => AB",
                "{{ n+1 }} => 8",
                "{{ range(3)|list }} => [0, 1, 2]",
            })
    void render_expression_isWhatPythonGives(String template, String python) throws Exception {
        assertThat(render(template)).isEqualTo(python);
    }

    @Test
    void render_newlinesInJsonAndIndent_areWhatPythonGives() throws Exception {
        assertThat(render("{{ {'a': 'é\n'}|tojson }}")).isEqualTo("{\"a\": \"é\\n\"}");
        assertThat(render("{{ [1, [2]]|tojson(indent=2) }}")).isEqualTo("[\n  1,\n  [\n    2\n  ]\n]");
        assertThat(render("{{ 'a\nb\n\nc'|indent(2) }}")).isEqualTo("a\n  b\n\n  c");
        assertThat(render("{{ 'a\nb'|indent(2, true) }}")).isEqualTo("  a\n  b");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{{ 'a' + 1 }}",
                "{{ [1] + 2 }}",
                "{{ 1 < 'a' }}",
                "{{ n / 0 }}",
                "{{ none.x.y }}",
                "{{ 'a'|wordcount }}",
                "{{ x|selectattr('a')|length }}",
                "{{ 'a' % 1 }}",
                "{{ 2 ** 3 }}",
                "{% for x in none %}{% endfor %}",
                "{{ [1].append(2) }}",
                "{{ raise_exception }}",
                "{{ ''.format() }}",
                "{% include 'x' %}",
                "{{ 'ü'.title() }}"
            })
    void render_whatPythonRejectsOrWeCannotMatch_isRefused(String template) {
        assertThatThrownBy(() -> render(template)).isInstanceOf(ChatTemplateException.class);
    }
}
