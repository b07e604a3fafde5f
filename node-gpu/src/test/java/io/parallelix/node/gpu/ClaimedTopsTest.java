package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** Claimed top_logprobs without ids get this node's ids by text, as the wire's two forms need. */
class ClaimedTopsTest {
    private static final float[] LOGITS = {0f, 3f, 2f, 2f, -1f, 1f};
    private static final IntFunction<String> TEXT = id -> id == 3 ? "b" : String.valueOf((char) ('a' + id));

    private static TokenLogprobs.Top top(String text, double lp) {
        return new TokenLogprobs.Top(-1, text, lp);
    }

    @Test
    void chatForm_getsTheIdsOfTheSameTexts_inThisNodesOrder() {
        // this node's top 3: id 1 ("b"), id 2 ("c"), id 3 ("b"): logit order, id ascending on ties
        TokenLogprobs claimed =
                new TokenLogprobs(2, "c", -1.5, List.of(top("b", -0.5), top("c", -1.5), top("b", -1.5)));
        TokenLogprobs r = ClaimedTops.resolve(claimed, LOGITS, 3, TEXT);
        assertThat(r.top()).extracting(TokenLogprobs.Top::id).containsExactly(1, 2, 3);
        assertThat(r.top()).extracting(TokenLogprobs.Top::logprob).containsExactly(-0.5, -1.5, -1.5);
    }

    @Test
    void completionsForm_dropsTheAppendedSampledToken_andFillsFoldedTexts() {
        // a completions map: one entry per text ("b" once), then the sampled token "f" (id 5)
        TokenLogprobs claimed =
                new TokenLogprobs(5, "f", -2.5, List.of(top("b", -0.5), top("c", -1.5), top("f", -2.5)));
        TokenLogprobs r = ClaimedTops.resolve(claimed, LOGITS, 3, TEXT);
        assertThat(r.top()).extracting(TokenLogprobs.Top::id).containsExactly(1, 2, 3);
        assertThat(r.top().get(2).logprob()).isCloseTo(2.0 - lse(), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aTextNotInThisNodesTopList_staysUnresolved() {
        TokenLogprobs claimed = new TokenLogprobs(1, "b", -0.5, List.of(top("b", -0.5), top("e", -4)));
        assertThat(ClaimedTops.resolve(claimed, LOGITS, 2, TEXT)).isSameAs(claimed);
        TokenLogprobs withIds = new TokenLogprobs(1, "b", -0.5, List.of(new TokenLogprobs.Top(1, "b", -0.5)));
        assertThat(ClaimedTops.resolve(withIds, LOGITS, 1, TEXT)).isSameAs(withIds);
    }

    private static double lse() {
        double s = 0;
        for (float l : LOGITS) {
            s += Math.exp(l - 3);
        }
        return 3 + Math.log(s);
    }
}
