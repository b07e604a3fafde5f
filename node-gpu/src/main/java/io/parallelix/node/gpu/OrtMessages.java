package io.parallelix.node.gpu;

/** ONNX Runtime's exception text, trimmed to sit inside our own sentences. */
final class OrtMessages {
    private OrtMessages() {}

    static String of(Throwable e) {
        String message = String.valueOf(e.getMessage()).strip();
        while (message.endsWith(".")) {
            message = message.substring(0, message.length() - 1);
        }
        return message;
    }
}
