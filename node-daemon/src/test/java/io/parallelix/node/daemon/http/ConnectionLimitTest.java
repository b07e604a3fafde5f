package io.parallelix.node.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.parallelix.node.daemon.metrics.NodeMetrics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class ConnectionLimitTest {
    private final ConnectionLimit tls = new ConnectionLimit(1, true, new NodeMetrics());

    @Test
    void channelActive_onTls_countsNothingBeforeTheHandshake() {
        List<EmbeddedChannel> open = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            open.add(new EmbeddedChannel(tls));
        }
        assertThat(tls.open()).isZero();
        EmbeddedChannel failed = open.get(0);
        failed.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(new SSLHandshakeException("no")));
        assertThat(tls.open()).isZero();
        for (EmbeddedChannel ch : open) {
            assertFalse(ch.finishAndReleaseAll());
        }
    }

    @Test
    void handshakeSuccess_beyondTheLimit_isAnswered503InsideTheSessionAndCloses() {
        EmbeddedChannel admitted = new EmbeddedChannel(tls);
        admitted.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        assertThat(tls.open()).isEqualTo(1);

        EmbeddedChannel refused = new EmbeddedChannel(tls);
        refused.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        ByteBuf answer = refused.readOutbound(); // written after the SslHandler's place: encrypted
        try {
            assertThat(answer.toString(StandardCharsets.US_ASCII))
                    .startsWith("HTTP/1.1 503 ")
                    .contains("Retry-After: 1")
                    .endsWith("\"code\":\"overloaded\",\"request_id\":null}");
        } finally {
            answer.release();
        }
        assertThat(refused.isOpen()).isFalse();
        assertThat(tls.open()).isEqualTo(1);

        admitted.close();
        assertThat(tls.open()).isZero();
        assertFalse(refused.finishAndReleaseAll());
        assertFalse(admitted.finishAndReleaseAll());
    }
}
