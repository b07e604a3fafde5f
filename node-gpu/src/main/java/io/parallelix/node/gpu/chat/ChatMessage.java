package io.parallelix.node.gpu.chat;

import java.util.Objects;

/**
 * One message of a conversation, as the template sees it ({@code message.role}, {@code
 * message.content}). String content only: parts (images, audio) and tool calls are refused
 * above, by name.
 */
public record ChatMessage(String role, String content) {
    static final int MAX_ROLE_CHARS = 64;

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        if (role.isEmpty() || role.length() > MAX_ROLE_CHARS) {
            throw new IllegalArgumentException("role must be 1 to " + MAX_ROLE_CHARS + " characters");
        }
        if (!role.chars().allMatch(c -> c == '_' || c == '-' || Character.isLetterOrDigit(c))) {
            throw new IllegalArgumentException("role may hold letters, digits, '_' and '-' only: " + role);
        }
    }

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content);
    }
}
