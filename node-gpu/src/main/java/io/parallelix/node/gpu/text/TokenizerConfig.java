package io.parallelix.node.gpu.text;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@code tokenizer_config.json} (Hugging Face transformers' file) says beyond
 * {@code tokenizer.json}. We read it ourselves: DJL's {@code TokenizerConfig.load} rejects
 * Llama's {@code model_max_length} of 1e30. Nothing here changes {@link Tokenizer}'s ids; the
 * engine decides what to do with it (transformers applies {@code clean_up_tokenization_spaces} in
 * Python, after the Rust decode, so it is reported, not applied).
 *
 * @param modelMaxLength the model's token limit; 0 when absent or the "no limit" sentinel (>= 1e12)
 * @param bosToken the beginning-of-sequence token's text, null when absent or null
 * @param addBosToken whether the slow tokenizer adds {@code bos_token}; null when absent
 * @param chatTemplates chat templates by name: a plain string is {@code "default"}, a list of
 *     {@code {name, template}} keeps every named one
 * @param cleanUpTokenizationSpaces transformers' decode post-processing flag; null when absent
 */
public record TokenizerConfig(
        int modelMaxLength,
        @Nullable String bosToken,
        @Nullable String eosToken,
        @Nullable String padToken,
        @Nullable String unkToken,
        @Nullable Boolean addBosToken,
        @Nullable Boolean addEosToken,
        Map<String, String> chatTemplates,
        @Nullable Boolean cleanUpTokenizationSpaces) {
    public static final String DEFAULT_TEMPLATE = "default";

    public TokenizerConfig {
        if (modelMaxLength < 0) {
            throw new IllegalArgumentException("modelMaxLength must be >= 0, got " + modelMaxLength);
        }
        chatTemplates = Map.copyOf(chatTemplates);
    }

    /** Reads {@code tokenizer_config.json}; a field of the wrong kind is an error naming it. */
    public static TokenizerConfig read(Path file) throws TokenizerException {
        return ConfigReader.read(file);
    }

    /** The {@code "default"} chat template, if any. */
    public Optional<String> chatTemplate() {
        return Optional.ofNullable(chatTemplates.get(DEFAULT_TEMPLATE));
    }
}
