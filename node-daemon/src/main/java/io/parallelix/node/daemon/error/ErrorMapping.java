package io.parallelix.node.daemon.error;

import org.jspecify.annotations.Nullable;

/**
 * The one place where an API error kind becomes an HTTP status and the stable {@code code} of the
 * JSON error body. CLI exit codes are not mapped here: cli.ExitCodes maps the CLI's exceptions.
 */
public final class ErrorMapping {
    private static final String CLIENT = "invalid_request_error";
    private static final String SERVER = "server_error";

    private ErrorMapping() {}

    public static int httpStatus(ApiException e) {
        return switch (e) {
            case ApiException.BadRequest b -> 400;
            case ApiException.NotFound n -> 404;
            case ApiException.MethodNotAllowed m -> 405;
            case ApiException.RequestTimeout t -> 408;
            case ApiException.Conflict c -> 409;
            case ApiException.PayloadTooLarge p -> 413;
            case ApiException.UnsupportedMediaType u -> 415;
            case ApiException.HeaderTooLarge h -> 431;
            case ApiException.Internal i -> 500;
            case ApiException.Overloaded o -> 503;
            case ApiException.DeadlineExceeded d -> 504;
            case ApiException.ClientClosed c -> 499; // nginx's code: no client reads it
        };
    }

    /**
     * The {@code type} of an OpenAI-shaped error: whose fault it is, as OpenAI's API says it
     * ("invalid_request_error" for the client's, "server_error" for the node's, busy or slow).
     */
    public static String openAiType(ApiException e) {
        return switch (e) {
            case ApiException.BadRequest b -> CLIENT;
            case ApiException.NotFound n -> CLIENT;
            case ApiException.MethodNotAllowed m -> CLIENT;
            case ApiException.RequestTimeout t -> CLIENT;
            case ApiException.Conflict c -> CLIENT;
            case ApiException.PayloadTooLarge p -> CLIENT;
            case ApiException.UnsupportedMediaType u -> CLIENT;
            case ApiException.HeaderTooLarge h -> CLIENT;
            case ApiException.ClientClosed c -> CLIENT;
            case ApiException.Internal i -> SERVER;
            case ApiException.Overloaded o -> SERVER;
            case ApiException.DeadlineExceeded d -> SERVER;
        };
    }

    /** The field an error names (OpenAI's {@code param}), when it names one. */
    public static @Nullable String field(ApiException e) {
        return e instanceof ApiException.BadRequest b ? b.field() : null;
    }

    /** Machine-readable code for the JSON error body; stable across releases. */
    public static String code(ApiException e) {
        return switch (e) {
            case ApiException.BadRequest b -> b.code();
            case ApiException.NotFound n -> "not_found";
            case ApiException.MethodNotAllowed m -> "method_not_allowed";
            case ApiException.RequestTimeout t -> "request_timeout";
            case ApiException.Conflict c -> c.code();
            case ApiException.PayloadTooLarge p -> "payload_too_large";
            case ApiException.UnsupportedMediaType u -> "unsupported_media_type";
            case ApiException.HeaderTooLarge h -> "header_too_large";
            case ApiException.Internal i -> i.code();
            case ApiException.Overloaded o -> "overloaded";
            case ApiException.DeadlineExceeded d -> "deadline_exceeded";
            case ApiException.ClientClosed c -> "client_closed_request";
        };
    }
}
