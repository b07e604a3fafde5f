package io.parallelix.node.gpu;

import org.jspecify.annotations.Nullable;

/**
 * One sampled token of one choice, as the decode loop hands it to a {@link GenerationListener}:
 * its id, the text it releases now (possibly empty: half a UTF-8 character, a special token, or
 * text held back because it may be the start of a stop string; the text of a choice is the
 * concatenation of these), its logprobs when asked, and, on the last token of the choice, why it
 * ended. Every choice ends on a token: the end-of-sequence id or the token that completed a stop
 * string is a token too (its text is empty).
 */
public record GeneratedToken(
        int choice,
        int id,
        String text,
        @Nullable TokenLogprobs logprobs,
        @Nullable FinishReason finish) {}
