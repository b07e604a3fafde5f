package io.parallelix.node.daemon.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultSelectStrategyFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.parallelix.node.daemon.metrics.NodeMetrics;
import io.parallelix.node.daemon.protocol.Json;
import io.parallelix.node.daemon.service.LoadingStatus;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP listener (Netty 4.2, epoll where available). {@link #shutdown} drains: readiness
 * goes false, the listener closes, admitted requests are answered, then connections close.
 */
public final class NodeServer {
    private static final Logger log = LoggerFactory.getLogger(NodeServer.class);

    private final EventLoopGroup group;
    private final Channel listener;
    private final ChannelGroup connections;
    private final AtomicReference<@Nullable Serving> services;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private NodeServer(
            EventLoopGroup group,
            Channel listener,
            ChannelGroup connections,
            AtomicReference<@Nullable Serving> services) {
        this.group = group;
        this.listener = listener;
        this.connections = connections;
        this.services = services;
    }

    /**
     * Listens at once: live, not ready, and refusing work (503) until {@link #attach} hands it the
     * loaded engine's services. {@code bodies} is the node's one budget for request bodies, shared
     * with its other listener.
     */
    public static NodeServer start(ServerSettings settings, NodeMetrics metrics, Json json, BodyBudget bodies)
            throws IOException {
        return start(settings, metrics, json, bodies, new LoadingStatus());
    }

    /** As above; until attach, the health endpoints and /v1/models say what {@code loading} reports. */
    public static NodeServer start(
            ServerSettings settings, NodeMetrics metrics, Json json, BodyBudget bodies, LoadingStatus loading)
            throws IOException {
        NodeChannelInitializer.Tls tls = tls(settings, metrics);
        boolean epoll = Epoll.isAvailable();
        long spin = settings.idleSpin().toNanos();
        SelectStrategyFactory select =
                spin > 0 ? new IdleSpin(spin, System::nanoTime) : DefaultSelectStrategyFactory.INSTANCE;
        IoHandlerFactory io = epoll
                ? EpollIoHandler.newFactory(0, select)
                : NioIoHandler.newFactory(SelectorProvider.provider(), select);
        Class<? extends ServerChannel> channelType =
                epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup group =
                new MultiThreadIoEventLoopGroup(settings.ioThreads(), new DefaultThreadFactory("pxnode-io", true), io);
        Responses responses = new Responses(json.mapper());
        AtomicReference<@Nullable Serving> services = new AtomicReference<>();
        Router.Shared router = new Router.Shared(
                settings.endpoints(),
                services,
                new StatusEndpoints(responses, json.mapper(), metrics, loading),
                new Exchange.Shared(responses, metrics, new AccessLog()),
                settings.writeTimeout().toMillis());
        ChannelGroup connections = new DefaultChannelGroup("pxnode-connections", group.next());
        NodeChannelInitializer init = new NodeChannelInitializer(new NodeChannelInitializer.Parts(
                settings,
                new ConnectionLimit(settings.maxConnections(), tls != null, metrics),
                bodies,
                router,
                new ConnectionErrors(responses, metrics),
                () -> draining(services),
                tls));
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ch.pipeline().addLast(init);
                    }
                });
        try {
            Channel listener = b.bind(settings.host(), settings.port()).sync().channel();
            log.info(
                    "listening on {} ({}, {}, serving {})",
                    listener.localAddress(),
                    epoll ? "epoll" : "nio",
                    settings.tls() == null ? "plain HTTP" : settings.tls().clientCa() == null ? "TLS" : "mutual TLS",
                    settings.endpoints().size() == Endpoint.values().length ? "every endpoint" : settings.endpoints());
            return new NodeServer(group, listener, connections, services);
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("cannot listen on " + settings.host() + ":" + settings.port() + ": " + reason(e), e);
        }
    }

    private static NodeChannelInitializer.@Nullable Tls tls(ServerSettings settings, NodeMetrics metrics)
            throws IOException {
        ServerSettings.Tls t = settings.tls();
        return t == null
                ? null
                : new NodeChannelInitializer.Tls(
                        TlsContexts.server(t),
                        new HandshakeLimit(t.maxHandshakes(), metrics),
                        t.handshakeTimeout().toMillis());
    }

    /** The OS's reason, without Netty's class names ("bind(..) failed with error(-98): ..."). */
    private static String reason(Exception e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        if (e instanceof BindException
                || e.getCause() instanceof BindException
                || m.endsWith("Address already in use")) {
            return "address already in use (is another node or program using the port?)";
        }
        int errno = m.indexOf("): ");
        return m.startsWith("bind(..)") && errno > 0 ? m.substring(errno + 3) : m;
    }

    private static boolean draining(AtomicReference<@Nullable Serving> services) {
        Serving s = services.get();
        return s != null && s.tasks().draining();
    }

    /** From now on the node serves (and reports ready when its models are). */
    public void attach(Serving node) {
        services.set(node);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /**
     * Graceful stop: refuse new work (503, not ready), close the listener, wait up to {@code drain}
     * for admitted tasks; every request that arrives meanwhile, or was already received, is answered
     * (200 if admitted before, 503 after) and its connection closes after its last answer; then idle
     * connections close and what is left is flushed and closed.
     */
    public void shutdown(Duration drain) {
        if (!stopped.compareAndSet(false, true)) {
            return; // stopping twice (a test, a second signal) is a no-op
        }
        Serving node = services.get();
        if (node != null) {
            node.tasks().beginDrain();
        }
        listener.close().syncUninterruptibly();
        long end = System.nanoTime() + drain.toNanos();
        if (node != null) {
            boolean idle;
            try {
                idle = node.tasks().awaitIdle(drain.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                idle = false;
            }
            if (!idle) {
                log.warn(
                        "drain time {} passed with {} requests unanswered",
                        drain,
                        node.tasks().inFlight());
            }
        }
        // Open connections stayed open so that what arrives on them meanwhile is answered 503
        // (and closed after). Now: idle ones close, ones still answering close after their last.
        connections.forEach(ch -> ch.pipeline().fireUserEventTriggered(FlowControl.DRAIN));
        long left = Math.max(end - System.nanoTime(), TimeUnit.SECONDS.toNanos(1));
        connections
                .newCloseFuture()
                .awaitUninterruptibly(Math.min(left, TimeUnit.SECONDS.toNanos(5)), TimeUnit.NANOSECONDS);
        for (Channel ch : connections) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        connections.newCloseFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        log.info("stopped");
    }
}
