package io.parallelix.node.gpu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.gpu.chat.ChatTemplate;
import io.parallelix.node.gpu.chat.ChatTemplateException;
import io.parallelix.node.gpu.chat.SpecialTokens;
import io.parallelix.node.gpu.text.TokenizerConfig;
import io.parallelix.node.gpu.text.TokenizerException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A generation model's chat template, as transformers finds it: {@code chat_template.jinja}
 * beside the model, else tokenizer_config.json's (default) {@code chat_template}, with that file's
 * special tokens as template variables. A template that fails its load-time self-check is not
 * served half right: the model still serves completions, and a chat request is refused with the
 * template's error ({@link #problem}). eosToken is tokenizer_config.json's, the last resort for
 * the end-of-sequence id.
 */
record GenerationChat(
        @Nullable ChatTemplate template,
        @Nullable String problem,
        @Nullable String eosToken) {
    static final String TEMPLATE_FILE = "chat_template.jinja";
    static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    private static final Logger log = LoggerFactory.getLogger(GenerationChat.class);

    static GenerationChat load(String model, Path dir, ObjectMapper json) throws EngineException {
        Path configFile = dir.resolve(TOKENIZER_CONFIG);
        String source = null;
        SpecialTokens tokens = SpecialTokens.NONE;
        String eos = null;
        try {
            if (Files.isRegularFile(configFile)) {
                TokenizerConfig tc = TokenizerConfig.read(configFile);
                source = tc.chatTemplate().orElse(null);
                eos = tc.eosToken();
                JsonNode config = json.readTree(configFile.toFile());
                tokens = SpecialTokens.fromTokenizerConfig(config);
            }
            Path file = dir.resolve(TEMPLATE_FILE);
            if (Files.isRegularFile(file)) {
                source = Files.readString(file, StandardCharsets.UTF_8);
            }
        } catch (IOException | TokenizerException | ChatTemplateException e) {
            throw new EngineException("model '" + model + "': cannot read its chat template: " + OrtMessages.of(e)
                    + ". Fix: restore tokenizer_config.json (and chat_template.jinja) from the model's export.");
        }
        if (source == null) {
            return new GenerationChat(null, "model '" + model + "' has no chat template", eos);
        }
        try {
            return new GenerationChat(ChatTemplate.of(source, tokens), null, eos);
        } catch (ChatTemplateException e) {
            String problem = "the chat template of model '" + model + "' cannot be rendered exactly as transformers"
                    + " renders it, so chat is off for this model: " + e.getMessage();
            log.warn("{}; /v1/completions still serves it (docs/chat-templates.md)", problem);
            return new GenerationChat(null, problem, eos);
        }
    }
}
