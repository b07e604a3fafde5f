package io.parallelix.node.gpu.chat;

/**
 * What Python would raise (TypeError, UndefinedError, ...) or what we refuse because we cannot
 * reproduce it exactly. Unchecked so it passes through Jinjava's expression evaluator; the
 * renderer finds it in the cause chain and reports it as a {@link ChatTemplateException}.
 */
final class PyError extends RuntimeException {
    PyError(String message) {
        super(message);
    }

    static PyError unsupported(String what) {
        return new PyError(what + " is not supported by this renderer (refused rather than rendered differently"
                + " from transformers)");
    }
}
