package io.parallelix.node.daemon.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.parallelix.node.daemon.metrics.NodeMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/** The node's whole pipeline on an EmbeddedChannel, as NodeServer builds it for a connection. */
final class TestPipeline {
    private TestPipeline() {}

    static EmbeddedChannel channel(
            @Nullable Serving node, int maxBody, int maxHeader, ObjectMapper mapper, NodeMetrics metrics) {
        Responses responses = new Responses(mapper);
        AtomicReference<@Nullable Serving> serving = new AtomicReference<>(node);
        ServerSettings settings = new ServerSettings(
                "127.0.0.1",
                0,
                1,
                Duration.ZERO,
                maxBody,
                maxHeader,
                10,
                Duration.ofSeconds(2),
                Duration.ofSeconds(60),
                Duration.ofSeconds(5),
                EnumSet.allOf(Endpoint.class),
                null);
        Router.Shared router = new Router.Shared(
                settings.endpoints(),
                serving,
                new StatusEndpoints(responses, mapper, metrics),
                new Exchange.Shared(responses, metrics, new AccessLog()),
                settings.writeTimeout().toMillis());
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAutoRead(false);
        ch.pipeline()
                .addLast(new NodeChannelInitializer(new NodeChannelInitializer.Parts(
                        settings,
                        new ConnectionLimit(10, false, metrics),
                        BodyBudget.sized(0, maxBody, 1L << 30, 1L << 30),
                        router,
                        new ConnectionErrors(responses, metrics),
                        () -> node != null && node.tasks().draining(),
                        null)));
        ch.pipeline().fireChannelActive();
        return ch;
    }

    static void send(EmbeddedChannel ch, String raw) {
        ch.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
    }
    /** Everything the server wrote so far, as text (after the loop's queued tasks: answers settle there). */
    static String written(EmbeddedChannel ch) {
        ch.runPendingTasks();
        StringBuilder sb = new StringBuilder();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            sb.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return sb.toString();
    }

    static String post(String path, String contentType, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: " + contentType + "\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }
}
