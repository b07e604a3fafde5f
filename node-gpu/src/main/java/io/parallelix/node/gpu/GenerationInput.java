package io.parallelix.node.gpu;

import io.parallelix.node.gpu.chat.ChatMessage;
import java.util.List;

/**
 * The prompt of a generation: text the model's tokenizer encodes with its special tokens (a
 * completion), token ids used as given (a completion from ids), or chat messages rendered by the
 * model's chat template with the generation prompt, then encoded without adding special tokens
 * (the template writes them, as transformers' apply_chat_template does).
 */
public sealed interface GenerationInput {
    record Text(String prompt) implements GenerationInput {}

    @SuppressWarnings("ArrayRecordComponent") // compared by content in tests only
    record Tokens(int[] ids) implements GenerationInput {}

    record Chat(List<ChatMessage> messages) implements GenerationInput {
        public Chat {
            messages = List.copyOf(messages);
        }
    }
}
