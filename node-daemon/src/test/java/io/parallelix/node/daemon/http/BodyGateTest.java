package io.parallelix.node.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.parallelix.node.daemon.metrics.NodeMetrics;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodyGateTest {
    private static final int MIB = 1 << 20;
    private static final int MAX_BODY = 2 * MIB;

    private final ObjectMapper mapper = new ObjectMapper();
    private final BodyBudget budget = BodyBudget.sized(3 * MIB, MAX_BODY, 0, 0);
    private int reads;

    private EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel(
                new ChannelOutboundHandlerAdapter() {
                    @Override
                    public void read(ChannelHandlerContext ctx) {
                        reads++; // what reaches the socket
                        ctx.read();
                    }
                },
                new BodyGate(budget, MAX_BODY, new Responses(mapper), new NodeMetrics()));
        ch.config().setAutoRead(false); // as on the node: reads are asked for
        reads = 0;
        return ch;
    }

    private static HttpRequest head(long length) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/node/challenge");
        HttpUtil.setContentLength(r, length);
        return r;
    }

    private static HttpRequest chunkedHead() {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/node/challenge");
        HttpUtil.setTransferEncodingChunked(r, true);
        return r;
    }

    private static DefaultHttpContent chunk(int size) {
        return new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[size]));
    }

    private static FullHttpResponse ok() {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    }

    /** Reads (and releases) what was passed on to the aggregator. */
    private static int passedOn(EmbeddedChannel ch) {
        int n = 0;
        for (Object o; (o = ch.readInbound()) != null; n++) {
            ReferenceCountUtil.release(o);
        }
        return n;
    }

    private void assertRefusedWith503(EmbeddedChannel ch) throws Exception {
        FullHttpResponse r = ch.readOutbound();
        try {
            assertThat(r.status().code()).isEqualTo(503);
            assertThat(r.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("1");
            assertThat(HttpUtil.isKeepAlive(r)).isFalse();
            assertThat(mapper.readTree(r.content().toString(StandardCharsets.UTF_8))
                            .get("code")
                            .asText())
                    .isEqualTo("overloaded");
        } finally {
            r.release();
        }
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void head_thatFits_isPassedOnAndHeldUntilItsAnswerIsWritten() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(head(MAX_BODY), LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(passedOn(ch)).isEqualTo(2);
        assertThat(budget.held()).isEqualTo(MAX_BODY);
        ch.writeOutbound(ok());
        assertThat(budget.held()).isZero();
        ReferenceCountUtil.release(ch.readOutbound());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void interimContinue_isNotTheAnswer() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(head(MIB));
        assertThat(passedOn(ch)).isEqualTo(1);
        ch.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        assertThat(budget.held()).isEqualTo(MIB);
        ch.writeInbound(LastHttpContent.EMPTY_LAST_CONTENT);
        ch.writeOutbound(ok());
        assertThat(budget.held()).isZero();
        assertThat(passedOn(ch)).isEqualTo(1);
        ReferenceCountUtil.release(ch.readOutbound());
        ReferenceCountUtil.release(ch.readOutbound());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void head_beyondTheBudgetOnAnIdleConnection_isRefused503BeforeItsBodyAndCloses() throws Exception {
        assertThat(budget.tryReserve(2 * MIB)).isTrue(); // another connection's body
        EmbeddedChannel ch = channel();
        ch.writeInbound(head(MAX_BODY));
        assertThat(passedOn(ch)).isZero();
        assertRefusedWith503(ch);
        assertThat(budget.held()).isEqualTo(2 * MIB);
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void pipelinedHead_beyondTheBudget_waitsUnreadForTheEarlierAnswer_thenIsAdmitted() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(head(2 * MIB), LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(passedOn(ch)).isEqualTo(2);
        ch.writeInbound(head(2 * MIB), chunk(1024)); // 4 MiB would be held: it waits
        assertThat(passedOn(ch)).isZero();
        int before = reads;
        ch.read();
        assertThat(reads).as("the socket is not read while a body waits").isEqualTo(before);
        assertThat(ch.outboundMessages()).isEmpty(); // no 503 overtaking the first answer

        ch.writeOutbound(ok()); // the first answer: its 2 MiB come back, the second fits
        assertThat(passedOn(ch)).isEqualTo(2);
        assertThat(budget.held()).isEqualTo(2 * MIB);
        assertThat(reads).as("the read asked for meanwhile").isEqualTo(before + 1);
        ReferenceCountUtil.release(ch.readOutbound());
        ch.close();
        assertThat(budget.held()).isZero();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void pipelinedHead_thatStillDoesNotFitWhenFirstInLine_isRefused() throws Exception {
        assertThat(budget.tryReserve(2 * MIB)).isTrue(); // another connection's body
        EmbeddedChannel ch = channel();
        ch.writeInbound(head(MIB), LastHttpContent.EMPTY_LAST_CONTENT);
        ch.writeInbound(head(2 * MIB));
        assertThat(passedOn(ch)).isEqualTo(2);

        ch.writeOutbound(ok());
        FullHttpResponse first = ch.readOutbound();
        assertThat(first.status().code()).isEqualTo(200);
        first.release();
        assertRefusedWith503(ch);
        assertThat(budget.held()).isEqualTo(2 * MIB);
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void chunkedBody_isHeldChunkByChunk_andRefusedWhenTheNextChunkDoesNotFit() throws Exception {
        assertThat(budget.tryReserve(2 * MIB + MIB / 2)).isTrue();
        EmbeddedChannel ch = channel();
        ch.writeInbound(chunkedHead(), chunk(MIB / 4));
        assertThat(passedOn(ch)).isEqualTo(2);
        assertThat(budget.held()).isEqualTo(2 * MIB + 3 * MIB / 4);
        ch.writeInbound(chunk(MIB / 2));
        assertThat(passedOn(ch)).isZero();
        assertRefusedWith503(ch);
        assertThat(budget.held())
                .as("the closed connection gave its chunks back")
                .isEqualTo(2 * MIB + MIB / 2);
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void closedConnection_givesBackWhatItHeld() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(head(MAX_BODY), chunk(1024));
        assertThat(passedOn(ch)).isEqualTo(2);
        ch.close();
        assertThat(budget.held()).isZero();
        assertFalse(ch.finishAndReleaseAll());
    }
}
