package io.parallelix.node.gpu.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StopMatcherTest {
    @Test
    void accept_stopInsideOnePiece_emitsTheTextBeforeIt() {
        StopMatcher m = new StopMatcher(List.of("END"));
        StopMatcher.Step step = m.accept("hello END and more");
        assertThat(step.text()).isEqualTo("hello ");
        assertThat(step.stop()).isEqualTo("END");
        assertThat(step.stopped()).isTrue();
    }

    @Test
    void accept_stopSpanningPieces_holdsBackThePossibleStartAndNeverEmitsIt() {
        StopMatcher m = new StopMatcher(List.of("</answer>"));
        assertThat(m.accept("The answer is 4</").text()).isEqualTo("The answer is 4");
        assertThat(m.accept("ans").text()).isEmpty();
        StopMatcher.Step end = m.accept("wer> trailing");
        assertThat(end.text()).isEmpty();
        assertThat(end.stop()).isEqualTo("</answer>");
    }

    @Test
    void accept_heldTextThatTurnsOutNotToBeAStop_isEmittedOnceKnown() {
        StopMatcher m = new StopMatcher(List.of("\n\nUser:"));
        assertThat(m.accept("line\n").text()).isEqualTo("line");
        assertThat(m.accept("\nUs").text()).isEmpty();
        assertThat(m.accept("ually").text()).isEqualTo("\n\nUsually");
        assertThat(m.finish()).isEmpty();
    }

    @Test
    void finish_afterLengthOrEos_releasesTheHeldTail() {
        StopMatcher m = new StopMatcher(List.of("###"));
        assertThat(m.accept("a ##").text()).isEqualTo("a ");
        assertThat(m.finish()).isEqualTo("##");
        assertThatThrownBy(() -> m.accept("x")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void accept_twoStopsInOnePiece_theOneEndingFirstWins() {
        // char by char, "b" completes at index 1 before "abc" at 2: same answer in one piece
        StopMatcher m = new StopMatcher(List.of("abc", "b"));
        StopMatcher.Step step = m.accept("xabc");
        assertThat(step.text()).isEqualTo("xa");
        assertThat(step.stop()).isEqualTo("b");
    }

    @Test
    void accept_twoStopsEndingTogether_theLongerWins() {
        StopMatcher m = new StopMatcher(List.of("c", "abc"));
        StopMatcher.Step step = m.accept("xabcd");
        assertThat(step.text()).isEqualTo("x");
        assertThat(step.stop()).isEqualTo("abc");
    }

    @Test
    void accept_surrogatePairAcrossPieces_isNeverSplit() {
        StopMatcher m = new StopMatcher(List.of());
        String clef = "\uD834\uDD1E";
        assertThat(m.accept("a" + clef.charAt(0)).text()).isEqualTo("a");
        assertThat(m.accept(clef.charAt(1) + "b").text()).isEqualTo(clef + "b");
    }

    @Test
    void accept_anySplitOfTheText_emitsTheSameTextAndStop() {
        SplittableRandom random = new SplittableRandom(4);
        List<String> stops = List.of("STOP", "ab", "\n\n", "xyzzy");
        String alphabet = "abSTOPxyz\n ";
        for (int round = 0; round < 2000; round++) {
            StringBuilder text = new StringBuilder();
            int len = 1 + random.nextInt(40);
            for (int i = 0; i < len; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String whole = text.toString();
            StopMatcher.Step expected = expected(stops, whole);
            StopMatcher m = new StopMatcher(stops);
            StringBuilder emitted = new StringBuilder();
            String stop = null;
            for (String piece : split(whole, random)) {
                StopMatcher.Step step = m.accept(piece);
                emitted.append(step.text());
                assertThat(expected.text()).as(whole).startsWith(emitted.toString());
                if (step.stopped()) {
                    stop = step.stop();
                    break;
                }
            }
            if (stop == null) {
                emitted.append(m.finish());
            }
            assertThat(emitted.toString()).as(whole).isEqualTo(expected.text());
            assertThat(stop).as(whole).isEqualTo(expected.stop());
        }
    }

    @Test
    void constructor_badStops_areRefusedByRule() {
        assertThatThrownBy(() -> new StopMatcher(List.of("a", "b", "c", "d", "e")))
                .hasMessage("stop takes at most 4 strings, got 5");
        assertThatThrownBy(() -> new StopMatcher(List.of("")))
                .hasMessage("each stop string must have 1 to 256 characters, got 0");
        assertThatThrownBy(() -> new StopMatcher(List.of("x".repeat(257))))
                .hasMessage("each stop string must have 1 to 256 characters, got 257");
        assertThatThrownBy(() -> new StopMatcher(List.of("a\uDD1E"))).hasMessageContaining("lone surrogate");
    }

    /** Char by char from the definition: the first position where some stop ends. */
    private static StopMatcher.Step expected(List<String> stops, String text) {
        for (int end = 1; end <= text.length(); end++) {
            String best = null;
            for (String s : stops) {
                if (text.startsWith(s, end - s.length())
                        && end >= s.length()
                        && (best == null || s.length() > best.length())) {
                    best = s;
                }
            }
            if (best != null) {
                return new StopMatcher.Step(text.substring(0, end - best.length()), best);
            }
        }
        return new StopMatcher.Step(text, null);
    }

    private static List<String> split(String text, SplittableRandom random) {
        List<Integer> cuts = new ArrayList<>();
        for (int i = 1; i < text.length(); i++) {
            if (random.nextInt(3) == 0) {
                cuts.add(i);
            }
        }
        Collections.sort(cuts);
        List<String> pieces = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            pieces.add(text.substring(from, cut));
            from = cut;
        }
        pieces.add(text.substring(from));
        return pieces;
    }
}
