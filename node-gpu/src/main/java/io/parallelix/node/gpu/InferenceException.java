package io.parallelix.node.gpu;

/** Why a request could not be answered; the daemon maps each kind to one HTTP status. */
public abstract sealed class InferenceException extends Exception
        permits InferenceException.InvalidInput,
                InferenceException.InputRejected,
                InferenceException.UnknownModel,
                InferenceException.DeadlineExceeded,
                InferenceException.ModelFailed {

    private InferenceException(String message, @org.jspecify.annotations.Nullable Throwable cause) {
        super(message, cause);
    }

    /** The input does not fit the model; {@code field} names it, e.g. "inputs[1].shape". */
    public static final class InvalidInput extends InferenceException {
        private final String field;

        public InvalidInput(String field, String message) {
            super(message, null);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /**
     * The input passed validation but ONNX Runtime refused its values while running, e.g. a token id
     * beyond an embedding table (ORT_INVALID_ARGUMENT from a kernel): the client's fault, not the
     * node's. The cause is ORT's exception, for debugging; the message already carries its text.
     */
    public static final class InputRejected extends InferenceException {
        public InputRejected(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static final class UnknownModel extends InferenceException {
        public UnknownModel(String model) {
            super("unknown model '" + Echo.clip(model) + "'", null);
        }
    }

    /** The deadline passed while waiting for a session or during the run (which was terminated). */
    public static final class DeadlineExceeded extends InferenceException {
        public DeadlineExceeded(String message) {
            super(message, null);
        }
    }

    /** ONNX Runtime failed while running the model: a model or runtime fault, not the client's. */
    public static final class ModelFailed extends InferenceException {
        public ModelFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
