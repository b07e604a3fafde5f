package io.parallelix.node.daemon.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorMappingTest {
    @Test
    void httpStatus_everyKind_hasItsStatusCodeAndOpenAiType() {
        List<Object[]> cases = List.of(
                new Object[] {
                    new ApiException.BadRequest("inputs[0].shape", "bad"),
                    400,
                    "invalid_request",
                    "invalid_request_error"
                },
                new Object[] {
                    new ApiException.BadRequest("invalid_input", "inputs", "refused"),
                    400,
                    "invalid_input",
                    "invalid_request_error"
                },
                new Object[] {new ApiException.NotFound("x"), 404, "not_found", "invalid_request_error"},
                new Object[] {
                    new ApiException.MethodNotAllowed("PUT", "GET"), 405, "method_not_allowed", "invalid_request_error"
                },
                new Object[] {new ApiException.RequestTimeout("slow"), 408, "request_timeout", "invalid_request_error"},
                new Object[] {
                    new ApiException.Conflict("model_pin_mismatch", "pin"),
                    409,
                    "model_pin_mismatch",
                    "invalid_request_error"
                },
                new Object[] {new ApiException.PayloadTooLarge(10), 413, "payload_too_large", "invalid_request_error"},
                new Object[] {
                    new ApiException.UnsupportedMediaType("ct"), 415, "unsupported_media_type", "invalid_request_error"
                },
                new Object[] {new ApiException.HeaderTooLarge("h"), 431, "header_too_large", "invalid_request_error"},
                new Object[] {new ApiException.Internal("model_failed", "m", null), 500, "model_failed", "server_error"
                },
                new Object[] {new ApiException.Overloaded("full", 1), 503, "overloaded", "server_error"},
                new Object[] {new ApiException.DeadlineExceeded("late"), 504, "deadline_exceeded", "server_error"},
                new Object[] {
                    new ApiException.ClientClosed("gone"), 499, "client_closed_request", "invalid_request_error"
                });
        for (Object[] c : cases) {
            ApiException e = (ApiException) c[0];
            assertThat(ErrorMapping.httpStatus(e))
                    .as(e.getClass().getSimpleName())
                    .isEqualTo(c[1]);
            assertThat(ErrorMapping.code(e)).isEqualTo(c[2]);
            assertThat(ErrorMapping.openAiType(e))
                    .as(e.getClass().getSimpleName())
                    .isEqualTo(c[3]);
        }
    }

    @Test
    void field_isTheBadRequestsFieldOnly() {
        assertThat(ErrorMapping.field(new ApiException.BadRequest("input[3]", "empty")))
                .isEqualTo("input[3]");
        assertThat(ErrorMapping.field(new ApiException.BadRequest(null, "malformed")))
                .isNull();
        assertThat(ErrorMapping.field(new ApiException.NotFound("unknown model 'x'")))
                .isNull();
    }

    @Test
    void withRequestId_keepsKindFieldAndMessage() {
        ApiException.BadRequest e = new ApiException.BadRequest("inputs[1].datatype", "unknown datatype 'X'");
        ApiException.BadRequest withId = e.withRequestId("req-1");
        assertThat(withId.requestId()).isEqualTo("req-1");
        assertThat(withId.field()).isEqualTo("inputs[1].datatype");
        assertThat(withId.getMessage()).isEqualTo("inputs[1].datatype: unknown datatype 'X'");
    }

    @Test
    void internal_withCause_neverShowsTheCauseInItsMessage() {
        ApiException e =
                new ApiException.Internal("internal_error", "internal error", new IllegalStateException("secret"));
        assertThat(e.getMessage()).isEqualTo("internal error");
    }
}
