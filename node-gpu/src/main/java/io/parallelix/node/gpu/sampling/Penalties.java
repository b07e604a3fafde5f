package io.parallelix.node.gpu.sampling;

/**
 * The penalties, in float64 on the tokens of the history only (docs/generation.md, step 2): first
 * repetition_penalty as Hugging Face's RepetitionPenaltyLogitsProcessor (CTRL) applies it to every
 * token seen in prompt or output (positive logits divided, others multiplied), then OpenAI's
 * {@code z -= count * frequency_penalty}, then {@code z -= presence_penalty} for tokens generated at
 * least once, the order vLLM applies them in.
 */
final class Penalties {
    private Penalties() {}

    static boolean active(SamplingParams p) {
        return p.repetitionPenalty() != 1.0 || p.frequencyPenalty() != 0.0 || p.presencePenalty() != 0.0;
    }

    static void apply(double[] z, TokenHistory history, SamplingParams p) {
        double repetition = p.repetitionPenalty();
        double frequency = p.frequencyPenalty();
        double presence = p.presencePenalty();
        for (int j = 0; j < history.distinctCount(); j++) {
            int token = history.distinctToken(j);
            int count = history.generatedCount(j);
            double v = z[token];
            if (repetition != 1.0) {
                v = v > 0 ? v / repetition : v * repetition;
            }
            if (count > 0) {
                if (frequency != 0.0) {
                    v = v - count * frequency;
                }
                if (presence != 0.0) {
                    v = v - presence;
                }
            }
            z[token] = v;
        }
    }
}
