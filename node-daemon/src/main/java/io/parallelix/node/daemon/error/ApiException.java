package io.parallelix.node.daemon.error;

import org.jspecify.annotations.Nullable;

/**
 * Everything a client can be told went wrong. Each kind maps to exactly one HTTP status and one
 * stable {@code code} in {@link ErrorMapping}; the message is safe to return (no stack traces, no
 * key material, no payload echo beyond a field name and a short value).
 */
public abstract sealed class ApiException extends RuntimeException
        permits ApiException.BadRequest,
                ApiException.NotFound,
                ApiException.MethodNotAllowed,
                ApiException.Conflict,
                ApiException.PayloadTooLarge,
                ApiException.HeaderTooLarge,
                ApiException.UnsupportedMediaType,
                ApiException.RequestTimeout,
                ApiException.Overloaded,
                ApiException.DeadlineExceeded,
                ApiException.ClientClosed,
                ApiException.Internal {

    private final @Nullable String requestId;

    private ApiException(String message, @Nullable String requestId, @Nullable Throwable cause) {
        super(message, cause, false, cause != null);
        this.requestId = requestId;
    }

    /** Never null: every kind is built with a message. */
    @Override
    public String getMessage() {
        return String.valueOf(super.getMessage());
    }

    public @Nullable String requestId() {
        return requestId;
    }

    /** The same error, now knowing which request it belongs to. */
    public abstract ApiException withRequestId(String requestId);

    /**
     * Malformed or invalid input; {@code field} is a JSON path such as {@code inputs[0].shape}. Code
     * "invalid_request" (the request does not fit), or "invalid_input" (the model refused its values
     * while running).
     */
    public static final class BadRequest extends ApiException {
        public static final String INVALID_REQUEST = "invalid_request";
        public static final String INVALID_INPUT = "invalid_input";

        private final String code;
        private final @Nullable String field;
        private final String detail;

        public BadRequest(@Nullable String field, String detail) {
            this(INVALID_REQUEST, field, detail, null);
        }

        public BadRequest(String code, @Nullable String field, String detail) {
            this(code, field, detail, null);
        }

        private BadRequest(String code, @Nullable String field, String detail, @Nullable String requestId) {
            super(field == null ? detail : field + ": " + detail, requestId, null);
            this.code = code;
            this.field = field;
            this.detail = detail;
        }

        public String code() {
            return code;
        }

        public @Nullable String field() {
            return field;
        }

        /** The problem without the field's name. */
        public String detail() {
            return detail;
        }

        @Override
        public BadRequest withRequestId(String id) {
            return new BadRequest(code, field, detail, id);
        }
    }

    public static final class NotFound extends ApiException {
        public NotFound(String message) {
            this(message, null);
        }

        NotFound(String message, @Nullable String requestId) {
            super(message, requestId, null);
        }

        @Override
        public NotFound withRequestId(String id) {
            return new NotFound(getMessage(), id);
        }
    }

    public static final class MethodNotAllowed extends ApiException {
        private final String allow;

        public MethodNotAllowed(String method, String allow) {
            super("method " + method + " is not allowed here; allowed: " + allow, null, null);
            this.allow = allow;
        }

        public String allow() {
            return allow;
        }

        @Override
        public MethodNotAllowed withRequestId(String id) {
            return this;
        }
    }

    /** The request pins a model the node does not serve, or repeats a request id (replay). */
    public static final class Conflict extends ApiException {
        private final String code;

        public Conflict(String code, String message) {
            this(code, message, null);
        }

        Conflict(String code, String message, @Nullable String requestId) {
            super(message, requestId, null);
            this.code = code;
        }

        public String code() {
            return code;
        }

        @Override
        public Conflict withRequestId(String id) {
            return new Conflict(code, getMessage(), id);
        }
    }

    public static final class PayloadTooLarge extends ApiException {
        public PayloadTooLarge(long limit) {
            super("request body is larger than the limit of " + limit + " bytes", null, null);
        }

        @Override
        public PayloadTooLarge withRequestId(String id) {
            return this;
        }
    }

    public static final class HeaderTooLarge extends ApiException {
        public HeaderTooLarge(String message) {
            super(message, null, null);
        }

        @Override
        public HeaderTooLarge withRequestId(String id) {
            return this;
        }
    }

    public static final class UnsupportedMediaType extends ApiException {
        public UnsupportedMediaType(String message) {
            super(message, null, null);
        }

        @Override
        public UnsupportedMediaType withRequestId(String id) {
            return this;
        }
    }

    /** The client did not send a whole request within the read timeout. */
    public static final class RequestTimeout extends ApiException {
        public RequestTimeout(String message) {
            super(message, null, null);
        }

        @Override
        public RequestTimeout withRequestId(String id) {
            return this;
        }
    }

    /** Queue full, too many connections, or shutting down: try again (Retry-After). */
    public static final class Overloaded extends ApiException {
        private final int retryAfterSeconds;

        public Overloaded(String message, int retryAfterSeconds) {
            this(message, retryAfterSeconds, null);
        }

        Overloaded(String message, int retryAfterSeconds, @Nullable String requestId) {
            super(message, requestId, null);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public int retryAfterSeconds() {
            return retryAfterSeconds;
        }

        @Override
        public Overloaded withRequestId(String id) {
            return new Overloaded(getMessage(), retryAfterSeconds, id);
        }
    }

    public static final class DeadlineExceeded extends ApiException {
        public DeadlineExceeded(String message) {
            this(message, null);
        }

        DeadlineExceeded(String message, @Nullable String requestId) {
            super(message, requestId, null);
        }

        @Override
        public DeadlineExceeded withRequestId(String id) {
            return new DeadlineExceeded(getMessage(), id);
        }
    }

    /** The client went away before its answer was complete; nobody reads this, it is counted. */
    public static final class ClientClosed extends ApiException {
        public ClientClosed(String message) {
            this(message, null);
        }

        ClientClosed(String message, @Nullable String requestId) {
            super(message, requestId, null);
        }

        @Override
        public ClientClosed withRequestId(String id) {
            return new ClientClosed(getMessage(), id);
        }
    }

    /** A real fault of the node or the model; the cause is logged, never returned. */
    public static final class Internal extends ApiException {
        private final String code;

        public Internal(String code, String message, @Nullable Throwable cause) {
            this(code, message, cause, null);
        }

        Internal(String code, String message, @Nullable Throwable cause, @Nullable String requestId) {
            super(message, requestId, cause);
            this.code = code;
        }

        public String code() {
            return code;
        }

        @Override
        public Internal withRequestId(String id) {
            return new Internal(code, getMessage(), getCause(), id);
        }
    }
}
