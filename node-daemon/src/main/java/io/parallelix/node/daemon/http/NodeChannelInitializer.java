package io.parallelix.node.daemon.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.timeout.WriteTimeoutHandler;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * (handshake limit → TLS, optional) → connection limit → read deadline → idle → write timeout →
 * HTTP codec → body budget → bounded aggregator → flow control → router → connection errors.
 */
final class NodeChannelInitializer extends ChannelInitializer<Channel> {
    private static final int MAX_INITIAL_LINE = 8192;

    /** What every connection's pipeline is built from. */
    record Parts(
            ServerSettings settings,
            ConnectionLimit limit,
            BodyBudget bodies,
            Router.Shared router,
            ConnectionErrors errors,
            BooleanSupplier draining,
            @Nullable Tls tls) {}

    /** A TLS listener's context and its limit on connections in their handshake. */
    record Tls(SslContext context, HandshakeLimit handshakes, long handshakeTimeoutMillis) {}

    private final Parts parts;

    NodeChannelInitializer(Parts parts) {
        this.parts = parts;
    }

    @Override
    protected void initChannel(Channel ch) {
        ServerSettings settings = parts.settings();
        Exchange.Shared exchange = parts.router().exchange();
        ChannelPipeline p = ch.pipeline();
        Tls tls = parts.tls();
        if (tls != null) {
            p.addLast("handshakes", tls.handshakes());
            SslHandler handler = tls.context().newHandler(ch.alloc());
            handler.setHandshakeTimeoutMillis(tls.handshakeTimeoutMillis());
            p.addLast("tls", handler);
        }
        p.addLast("limit", parts.limit());
        p.addLast("read-deadline", new RequestReadTimeout(settings.readTimeout().toMillis()));
        p.addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        p.addLast(
                "write-timeout", new WriteTimeoutHandler(settings.writeTimeout().toMillis(), TimeUnit.MILLISECONDS));
        p.addLast("codec", new HttpServerCodec(MAX_INITIAL_LINE, settings.maxHeaderBytes(), 65536));
        p.addLast(
                "bodies",
                new BodyGate(parts.bodies(), settings.maxBodyBytes(), exchange.responses(), exchange.metrics()));
        p.addLast("aggregator", new BoundedAggregator(settings.maxBodyBytes(), exchange.responses()));
        p.addLast("flow", new FlowControl(parts.draining(), exchange.responses(), exchange.metrics()));
        p.addLast("router", new Router(parts.router()));
        p.addLast("errors", parts.errors());
    }
}
