package io.parallelix.node.daemon.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The limit over HTTP: what any server on these cores gets when each request costs the limit's run
 * and signature ({@link OrtLimit} at its best: no permits, intra-op 1) and nothing else but HTTP/1.1
 * over loopback TCP (Netty epoll, the node's version and channel options, one event loop per core,
 * the run and signature on the loop, a fixed answer of the node's size). The node's HTTP ÷ limit can
 * reach at most this floor's req/s ÷ limit: the rest of the gap is the transport, not the node.
 * {@code scripts/bench.sh}'s {@code floor} mode runs one beside the node ({@link #serve}); run alone
 * it prints "listening PORT" and serves until killed. Arguments: {@code --workload add --model FILE
 * --key FILE --sig-alg PS256 --answer-bytes N --message-bytes N}.
 */
public final class HttpFloor {
    private HttpFloor() {}

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = BenchArgs.parse(argv);
        OrtLimit limit = limit(
                Path.of(a.get("model")),
                Workload.byName(a.getOrDefault("workload", "add")),
                a.getOrDefault("sig-alg", "PS256"),
                Path.of(a.get("key")),
                Integer.parseInt(a.getOrDefault("message-bytes", "300")));
        try (Server server = serve(limit, Integer.parseInt(a.getOrDefault("answer-bytes", "1200")))) {
            System.out.println("listening " + server.port());
            server.listener().closeFuture().sync();
        }
    }

    /** The limit's own work per request: intra-op 1, no run permits, the fastest signing provider. */
    static OrtLimit limit(Path model, Workload w, String sigAlg, Path key, int messageBytes) throws Exception {
        return new OrtLimit(
                model,
                w,
                Runtime.getRuntime().availableProcessors(),
                true,
                1,
                0,
                OrtLimit.UNBOUNDED,
                OrtLimit.fastestProvider(),
                sigAlg,
                OrtLimit.readPkcs8(key),
                messageBytes);
    }

    /** A floor listening on 127.0.0.1 (a free port); closing it stops its loops, not the limit. */
    record Server(Channel listener, EventLoopGroup group) implements AutoCloseable {
        int port() {
            return ((InetSocketAddress) listener.localAddress()).getPort();
        }

        @Override
        public void close() {
            listener.close().syncUninterruptibly();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    static Server serve(OrtLimit limit, int answerBytes) throws InterruptedException {
        int cores = Runtime.getRuntime().availableProcessors();
        ByteBuf answer = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(new byte[answerBytes]));
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(cores, EpollIoHandler.newFactory());
        Channel listener = new ServerBootstrap()
                .group(group)
                .channel(EpollServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(
                                        new HttpServerCodec(),
                                        new HttpObjectAggregator(1 << 20),
                                        new Handler(limit, answer));
                    }
                })
                .bind("127.0.0.1", 0)
                .sync()
                .channel();
        return new Server(listener, group);
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final OrtLimit limit;
        private final ByteBuf answer;

        Handler(OrtLimit limit, ByteBuf answer) {
            this.limit = limit;
            this.answer = answer;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) throws Exception {
            limit.run((int)
                    (Thread.currentThread().threadId() % Runtime.getRuntime().availableProcessors()));
            limit.sign();
            DefaultFullHttpResponse res =
                    new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, answer.duplicate());
            res.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, answer.readableBytes());
            ctx.writeAndFlush(res);
        }
    }
}
