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
import org.jspecify.annotations.Nullable;

/** limit → TLS (optional) → read deadline → idle → write timeout → HTTP codec → bounded aggregator → node. */
final class NodeChannelInitializer extends ChannelInitializer<Channel> {
    private static final int MAX_INITIAL_LINE = 8192;

    private final ServerSettings settings;
    private final ConnectionLimit limit;
    private final Responses responses;
    private final NodeHandler.Shared shared;
    private final @Nullable SslContext ssl;

    NodeChannelInitializer(
            ServerSettings settings, ConnectionLimit limit, NodeHandler.Shared shared, @Nullable SslContext ssl) {
        this.settings = settings;
        this.ssl = ssl;
        this.limit = limit;
        this.responses = shared.responses();
        this.shared = shared;
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast("limit", limit);
        if (ssl != null) {
            SslHandler tls = ssl.newHandler(ch.alloc());
            tls.setHandshakeTimeoutMillis(settings.readTimeout().toMillis());
            p.addLast("tls", tls);
        }
        p.addLast("read-deadline", new RequestReadTimeout(settings.readTimeout().toMillis()));
        p.addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        p.addLast(
                "write-timeout", new WriteTimeoutHandler(settings.writeTimeout().toMillis(), TimeUnit.MILLISECONDS));
        p.addLast("codec", new HttpServerCodec(MAX_INITIAL_LINE, settings.maxHeaderBytes(), 65536));
        p.addLast("aggregator", new BodyLimit(settings.maxBodyBytes(), responses));
        p.addLast("node", new NodeHandler(shared));
    }
}
