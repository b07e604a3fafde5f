package io.parallelix.node.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.parallelix.node.daemon.protocol.StageTimings;
import io.parallelix.node.daemon.protocol.TokenUsage;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The access line is what operators grep and parse: its fields, their order and their units. */
class AccessLogTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger("pxnode.access");
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();

    @BeforeEach
    void attach() {
        events.start();
        logger.addAppender(events);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(events);
    }

    @Test
    void aSignedAnswer_logsIdsStatusSizeAndEveryStage() {
        new AccessLog()
                .log(
                        "infer",
                        "add",
                        new Exchange.Answered(
                                200, 2114, "req-1", new StageTimings(1, 2, 3, 4, 5, 6, 7, 28), "ok", null),
                        1_234_567);
        assertThat(lines())
                .containsExactly("endpoint=infer model=add request_id=req-1 status=200 bytes=2114 total_us=1234"
                        + " queue_us=1 decode_us=2 wait_us=3 tensor_us=4 run_us=5 encode_us=6 sign_us=7");
    }

    @Test
    void aGeneration_addsItsTokenCounts() {
        new AccessLog()
                .log(
                        "completions",
                        "llama",
                        new Exchange.Answered(
                                200,
                                10,
                                "cmpl-1",
                                new StageTimings(0, 0, 0, 0, 9, 0, 8, 17),
                                "ok",
                                new TokenUsage(12, 34)),
                        17_000);
        assertThat(lines().get(0)).endsWith(" run_us=9 encode_us=0 sign_us=8 prompt_tokens=12 completion_tokens=34");
    }

    @Test
    void anError_logsNoStages_andAMissingIdAsNull() {
        new AccessLog().log("infer", "", new Exchange.Answered(400, 97, null, null, "invalid_request", null), 999);
        assertThat(lines()).containsExactly("endpoint=infer model= request_id=null status=400 bytes=97 total_us=0");
    }

    private List<String> lines() {
        return events.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
