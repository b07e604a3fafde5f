package io.parallelix.node.gpu.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenHistoryTest {
    @ParameterizedTest
    @ValueSource(ints = {50, 151_936})
    void append_repeatedTokens_countsGeneratedOccurrencesOnly(int vocab) {
        // vocab 50 with 60 tokens of room indexes directly, 151,936 through the hash table
        SplittableRandom random = new SplittableRandom(vocab);
        int[] prompt = random.ints(30, 0, 50).toArray();
        TokenHistory history = new TokenHistory(vocab, prompt, 30);
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            int t = random.nextInt(0, 50);
            history.append(t);
            counts.merge(t, 1, Integer::sum);
        }
        Set<Integer> seen = new HashSet<>(counts.keySet());
        for (int t : prompt) {
            seen.add(t);
        }
        assertThat(history.distinctCount()).isEqualTo(seen.size());
        for (int j = 0; j < history.distinctCount(); j++) {
            int token = history.distinctToken(j);
            assertThat(seen).contains(token);
            assertThat(history.generatedCount(j)).as("token %d", token).isEqualTo(counts.getOrDefault(token, 0));
        }
        assertThat(history.generatedLength()).isEqualTo(30);
        assertThat(history.promptLength()).isEqualTo(30);
        assertThat(history.generated()).hasSize(30);
    }

    @Test
    void constructor_tokenOutsideTheVocabulary_namesIt() {
        assertThatThrownBy(() -> new TokenHistory(100, new int[] {1, 100}, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prompt[1] is 100, outside the vocabulary [0, 100)");
        assertThatThrownBy(() -> new TokenHistory(0, new int[0], 4)).hasMessageContaining("vocabulary size");
    }

    @Test
    void append_beyondItsRoomOrOutsideTheVocabulary_isRefused() {
        TokenHistory history = new TokenHistory(10, new int[0], 1);
        assertThatThrownBy(() -> history.append(-1))
                .hasMessage("generated token is -1, outside the vocabulary [0, 10)");
        history.append(3);
        assertThatThrownBy(() -> history.append(3))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("maximum of 1");
    }
}
