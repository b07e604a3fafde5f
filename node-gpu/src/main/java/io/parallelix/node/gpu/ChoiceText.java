package io.parallelix.node.gpu;

import io.parallelix.node.gpu.sampling.StopMatcher;
import io.parallelix.node.gpu.text.Tokenizer;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One choice's text as its tokens arrive, the one place that says what a token releases and
 * whether the choice ends on it: incremental detokenizing, the stop strings, an end-of-sequence id
 * (stop), the last allowed token (length). The decode loop and the verifier's replay of a claimed
 * answer both go through it, so they cannot disagree. One per choice; not thread-safe.
 */
final class ChoiceText {
    /** The text a token releases and, on the last one, why the choice ends. */
    record Piece(String text, @Nullable FinishReason finish) {}

    private final Tokenizer tokenizer;
    private final boolean[] eos;
    private final Detokenizer text;
    private final StopMatcher stops;

    /** IllegalArgumentException when the stop strings are not valid (StopMatcher's message). */
    ChoiceText(Tokenizer tokenizer, boolean[] eos, int[] prompt, List<String> stop) {
        this.tokenizer = tokenizer;
        this.eos = eos;
        this.text = new Detokenizer(tokenizer, prompt);
        this.stops = new StopMatcher(stop);
    }

    /** {@code last}: the choice may generate no more tokens after this one (max_tokens or the context). */
    Piece next(int token, boolean last) {
        boolean end = token < eos.length && eos[token];
        String decoded = end ? text.finish() : token < tokenizer.vocabSize() ? text.next(token) : "";
        StopMatcher.Step step = stops.accept(decoded);
        if (step.stopped()) {
            return new Piece(step.text(), FinishReason.STOP);
        }
        if (!end && !last) {
            return new Piece(step.text(), null);
        }
        StopMatcher.Step tail = end ? new StopMatcher.Step("", null) : stops.accept(text.finish());
        if (tail.stopped()) {
            return new Piece(step.text() + tail.text(), FinishReason.STOP);
        }
        return new Piece(step.text() + tail.text() + stops.finish(), end ? FinishReason.STOP : FinishReason.LENGTH);
    }
}
