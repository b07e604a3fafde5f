package io.parallelix.node.daemon.http;

import io.parallelix.node.daemon.protocol.Envelope;
import io.parallelix.node.daemon.protocol.StageTimings;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One line per request on the "pxnode.access" logger: ids, status, size and stage timings, never payloads. */
final class AccessLog {
    private static final Logger log = LoggerFactory.getLogger("pxnode.access");

    void log(
            String endpoint,
            String model,
            @Nullable String requestId,
            int status,
            long bytes,
            long nanos,
            @Nullable Envelope envelope) {
        if (!log.isInfoEnabled()) {
            return;
        }
        if (envelope == null) {
            log.info(
                    "endpoint={} model={} request_id={} status={} bytes={} total_us={}",
                    endpoint,
                    model,
                    requestId,
                    status,
                    bytes,
                    nanos / 1000);
            return;
        }
        StageTimings t = envelope.meta().timingsUs();
        log.info(
                "endpoint={} model={} request_id={} status={} bytes={} total_us={} queue_us={} decode_us={} wait_us={}"
                        + " tensor_us={} run_us={} encode_us={} sign_us={}",
                endpoint,
                model,
                requestId,
                status,
                bytes,
                nanos / 1000,
                t.queue(),
                t.decode(),
                t.instanceWait(),
                t.tensor(),
                t.run(),
                t.encode(),
                t.sign());
    }
}
