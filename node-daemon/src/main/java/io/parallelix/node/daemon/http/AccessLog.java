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
        // built by hand: the placeholder form boxed 13 values and parsed its pattern per request
        StringBuilder line = new StringBuilder(256)
                .append("endpoint=")
                .append(endpoint)
                .append(" model=")
                .append(model)
                .append(" request_id=")
                .append(a.requestId())
                .append(" status=")
                .append(a.status())
                .append(" bytes=")
                .append(a.bytes())
                .append(" total_us=")
                .append(nanos / 1000);
        StageTimings t = a.timings();
        if (t != null) {
            line.append(" queue_us=").append(t.queue());
            line.append(" decode_us=").append(t.decode());
            line.append(" wait_us=").append(t.instanceWait());
            line.append(" tensor_us=").append(t.tensor());
            line.append(" run_us=").append(t.run());
            line.append(" encode_us=").append(t.encode());
            line.append(" sign_us=").append(t.sign());
            TokenUsage u = a.usage();
            if (u != null) {
                line.append(" prompt_tokens=").append(u.promptTokens());
                line.append(" completion_tokens=").append(u.completionTokens());
            }
        }
        log.info(line.toString());
    }
}
