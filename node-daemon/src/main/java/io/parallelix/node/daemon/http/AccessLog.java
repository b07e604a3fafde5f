package io.parallelix.node.daemon.http;

import io.parallelix.node.daemon.protocol.StageTimings;
import io.parallelix.node.daemon.protocol.TokenUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the "pxnode.access" logger: ids, status, size, stage timings and, for
 * generations, token counts; never payloads (no prompt, no generated text).
 */
final class AccessLog {
    private static final Logger log = LoggerFactory.getLogger("pxnode.access");

    void log(String endpoint, String model, Exchange.Answered a, long nanos) {
        if (!log.isInfoEnabled()) {
            return;
        }
        StageTimings t = a.timings();
        if (t == null) {
            log.info(
                    "endpoint={} model={} request_id={} status={} bytes={} total_us={}",
                    endpoint,
                    model,
                    a.requestId(),
                    a.status(),
                    a.bytes(),
                    nanos / 1000);
            return;
        }
        TokenUsage u = a.usage();
        log.info(
                "endpoint={} model={} request_id={} status={} bytes={} total_us={} queue_us={} decode_us={} wait_us={}"
                        + " tensor_us={} run_us={} encode_us={} sign_us={}{}",
                endpoint,
                model,
                a.requestId(),
                a.status(),
                a.bytes(),
                nanos / 1000,
                t.queue(),
                t.decode(),
                t.instanceWait(),
                t.tensor(),
                t.run(),
                t.encode(),
                t.sign(),
                u == null ? "" : " prompt_tokens=" + u.promptTokens() + " completion_tokens=" + u.completionTokens());
    }
}
