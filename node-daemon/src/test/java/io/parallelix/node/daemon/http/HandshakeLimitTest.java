package io.parallelix.node.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import io.parallelix.node.daemon.metrics.NodeMetrics;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

class HandshakeLimitTest {
    private final HandshakeLimit limit = new HandshakeLimit(2, new NodeMetrics());

    /** A connection that opened and never sent its ClientHello. */
    private EmbeddedChannel silent() throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine();
        engine.setUseClientMode(false);
        return new EmbeddedChannel(limit, new SslHandler(engine));
    }

    @Test
    void channelActive_beyondTheLimit_closesTheOldestUnfinishedHandshake() throws Exception {
        EmbeddedChannel first = silent();
        EmbeddedChannel second = silent();
        assertThat(limit.inHandshake()).isEqualTo(2);
        EmbeddedChannel third = silent();
        assertThat(first.isOpen()).as("the oldest made room").isFalse();
        assertThat(first.outboundMessages()).as("closed without a byte").isEmpty();
        assertThat(second.isOpen()).isTrue();
        assertThat(third.isOpen()).isTrue();
        assertThat(limit.inHandshake()).isEqualTo(2);
        assertFalse(first.finishAndReleaseAll());
        second.pipeline().firstContext().close(); // a TCP close: the SslHandler has nothing to say
        third.pipeline().firstContext().close();
        assertThat(limit.inHandshake())
                .as("a closed connection's handshake is over")
                .isZero();
        assertFalse(second.finishAndReleaseAll());
        assertFalse(third.finishAndReleaseAll());
    }
}
