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
import java.nio.file.Path;
import java.util.Map;

/**
 * The limit over HTTP: what any server on these cores gets when each request costs the limit's run
 * and signature ({@link OrtLimit} at its best: no permits, intra-op 1) and nothing else but HTTP/1.1
 * over loopback TCP (Netty epoll, the node's version and channel options, one event loop per core,
 * the run and signature on the loop, a fixed answer of the node's size). The node's HTTP ÷ limit can
 * reach at most this floor's req/s ÷ limit: the rest of the gap is the transport, not the node.
 * Prints "listening PORT" and serves until killed. Arguments: {@code --workload add --model FILE
 * --key FILE --sig-alg PS256 --answer-bytes N --message-bytes N}.
 */
public final class HttpFloor {
    private HttpFloor() {}

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = BenchArgs.parse(argv);
        int cores = Runtime.getRuntime().availableProcessors();
        OrtLimit limit = new OrtLimit(
                Path.of(a.get("model")),
                Workload.byName(a.getOrDefault("workload", "add")),
                cores,
                true,
                1,
                0,
                OrtLimit.UNBOUNDED,
                OrtLimit.fastestProvider(),
                a.getOrDefault("sig-alg", "PS256"),
                OrtLimit.readPkcs8(Path.of(a.get("key"))),
                Integer.parseInt(a.getOrDefault("message-bytes", "300")));
        ByteBuf answer = Unpooled.unreleasableBuffer(
                Unpooled.directBuffer().writeBytes(new byte[Integer.parseInt(a.getOrDefault("answer-bytes", "1200"))]));
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
        System.out.println("listening " + ((java.net.InetSocketAddress) listener.localAddress()).getPort());
        listener.closeFuture().sync();
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
