package io.parallelix.node.gpu.chat;

/**
 * A chat template that cannot be rendered exactly (refused when the model loads), or a render that
 * failed (a 400 for the request): the message names the template's problem, e.g. the text of its
 * {@code raise_exception(...)}.
 */
public final class ChatTemplateException extends Exception {
    public ChatTemplateException(String message) {
        super(message);
    }

    public ChatTemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
