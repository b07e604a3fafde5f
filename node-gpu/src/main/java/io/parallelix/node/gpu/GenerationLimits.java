package io.parallelix.node.gpu;

import io.parallelix.node.gpu.text.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * A generation model's bounds, fixed at load: the context (config.json, capped by config.yaml),
 * the tokens one choice may generate, the end-of-sequence ids, how many sequences at once, and the
 * check that their key/value caches fit the configured budget (refusing to start, with the
 * numbers, rather than running out of memory under load).
 */
final class GenerationLimits {
    private GenerationLimits() {}

    static GenerationInfo of(
            String model,
            ModelConfig config,
            DecoderLayout layout,
            DecoderFacts facts,
            Tokenizer tokenizer,
            GenerationChat chat,
            int permits)
            throws EngineException {
        GenerationSettings s = config.generation();
        int context = facts.maxPositions();
        if (context == 0 && s.contextLength() == 0) {
            throw new EngineException("model '" + model + "': its context length is unknown (config.json has no"
                    + " max_position_embeddings). Fix: set generation.context_length in its config.yaml.");
        }
        if (s.contextLength() > 0) {
            if (context > 0 && s.contextLength() > context) {
                throw new EngineException("model '" + model + "': generation.context_length " + s.contextLength()
                        + " is more than the " + context + " positions its config.json allows. Fix: lower it.");
            }
            context = s.contextLength();
        }
        if (context < 2) {
            throw new EngineException("model '" + model + "': a context of " + context + " token leaves no room to"
                    + " generate. Fix: set generation.context_length to at least 2.");
        }
        int maxNew = s.maxNewTokens() > 0 ? Math.min(s.maxNewTokens(), context - 1) : context - 1;
        long perToken = 2L
                * layout.layers()
                * layout.kvHeads()
                * layout.headDim()
                * layout.kvType().byteSize();
        long budget = (long) s.kvCacheMib() << 20;
        // Unset, the default is the session permits (one per core on a CPU host) as far as the
        // budget holds them; a max_sequences the operator set is held to the budget as written.
        int sequences = s.maxSequences() > 0
                ? Math.min(s.maxSequences(), permits)
                : (int) Math.max(1, Math.min(permits, budget / Math.max(1, perToken * context)));
        long need = perToken * context * sequences;
        if (need > budget) {
            throw new EngineException(String.format(
                    "model '%s': %d sequences of %d tokens need %,d MiB of key/value cache (%,d bytes per token:"
                            + " %d layers x 2 x %d kv heads x %d x %d bytes), more than generation.kv_cache_mib %,d."
                            + " Fix: lower generation.context_length or generation.max_sequences, or raise"
                            + " generation.kv_cache_mib in its config.yaml if the memory is there.",
                    model,
                    sequences,
                    context,
                    (need + (1 << 20) - 1) >> 20,
                    perToken,
                    layout.layers(),
                    layout.kvHeads(),
                    layout.headDim(),
                    layout.kvType().byteSize(),
                    s.kvCacheMib()));
        }
        return new GenerationInfo(
                context,
                maxNew,
                Math.toIntExact(layout.vocab()),
                eos(model, facts, tokenizer, chat, layout),
                chat.template() != null,
                sequences);
    }

    private static List<Integer> eos(
            String model, DecoderFacts facts, Tokenizer tokenizer, GenerationChat chat, DecoderLayout layout)
            throws EngineException {
        List<Integer> ids = new ArrayList<>(facts.eosIds());
        String token = chat.eosToken();
        if (ids.isEmpty() && token != null) {
            OptionalInt id = tokenizer.tokenId(token);
            id.ifPresent(ids::add);
        }
        for (int id : ids) {
            if (id >= layout.vocab()) {
                throw new EngineException(
                        "model '" + model + "': end-of-sequence id " + id + " is not below its" + " vocabulary size "
                                + layout.vocab() + ". Fix: correct eos_token_id in generation_config.json.");
            }
        }
        if (ids.isEmpty()) {
            throw new EngineException("model '" + model + "' names no end-of-sequence token (eos_token_id in"
                    + " generation_config.json or config.json). Fix: restore those files from the model's export.");
        }
        return ids;
    }
}
