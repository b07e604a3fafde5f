package io.parallelix.node.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestIdsTest {
    @ParameterizedTest
    @ValueSource(strings = {"a", "req_a3f1", "A.b_c:d-e", "0", "01HZX3J8Q5T7W9YBCDEFGHJKMN"})
    void isValid_allowedAlphabet_accepts(String id) {
        assertThat(RequestIds.isValid(id)).isTrue();
        assertThat(RequestIds.requireValid(id)).isEqualTo(id);
    }

    @Test
    void isValid_exactly128Characters_accepts() {
        assertThat(RequestIds.isValid("x".repeat(128))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"req a", "req/1", "req\u00e9", "req\u0000", "req\n", "\u0661", "req+1", "r\u200bq"})
    void isValid_characterOutsideAlphabet_rejects(String id) {
        assertThat(RequestIds.isValid(id)).isFalse();
    }

    @Test
    void requireValid_empty_saysEmpty() {
        assertThatThrownBy(() -> RequestIds.requireValid(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void requireValid_tooLong_givesLength() {
        assertThatThrownBy(() -> RequestIds.requireValid("x".repeat(129)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("129 characters")
                .hasMessageContaining("at most 128");
    }

    @Test
    void requireValid_badCharacter_namesFirstBadCharacterAndIndex() {
        assertThatThrownBy(() -> RequestIds.requireValid("req_a b/c"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+0020")
                .hasMessageContaining("index 5");
        assertThatThrownBy(() -> RequestIds.requireValid("ok/"))
                .hasMessageContaining("'/' (U+002F)")
                .hasMessageContaining("index 2");
    }

    @Test
    void requireValid_controlCharacter_isNotEchoedRaw() {
        assertThatThrownBy(() -> RequestIds.requireValid("a\u001b[2J"))
                .hasMessageContaining("U+001B")
                .hasMessageNotContaining("\u001b");
    }
}
