package io.parallelix.node.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.parallelix.node.crypto.CryptoProvider;
import io.parallelix.node.crypto.NodeKey;
import io.parallelix.node.crypto.ResultSigner;
import io.parallelix.node.crypto.SigAlg;
import io.parallelix.node.daemon.TestNode;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.protocol.DecodedRequest;
import io.parallelix.node.daemon.protocol.EnvelopeMeta;
import io.parallelix.node.daemon.protocol.InferRequestDecoder;
import io.parallelix.node.daemon.protocol.Json;
import io.parallelix.node.daemon.protocol.StageTimings;
import io.parallelix.node.daemon.service.FakeEngine;
import io.parallelix.node.daemon.service.SignedAnswer;
import io.parallelix.node.daemon.task.TensorRunner;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OIP wire form alone: what a request's headers allow, and both forms of the answer. No ORT. */
class TensorEndpointTest {
    private static final String BODY =
            "{\"id\":\"w1\",\"inputs\":[{\"name\":\"a\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]}";
    private static final Json json = new Json(1 << 20);
    private static final Route ROUTE = new Route(Endpoint.INFER, "m");
    private static ResultSigner signer;

    private final TensorEndpoint endpoint = new TensorEndpoint(
            new InferRequestDecoder(json.factory()), new TensorRunner(new FakeEngine("m")), json.mapper());

    @BeforeAll
    static void keys() throws Exception {
        NodeKey key = TestNode.newKey();
        signer = new ResultSigner(key, SigAlg.PS256, CryptoProvider.JDK);
    }

    private static FullHttpRequest request(String contentType, byte[] body, String... headers) {
        FullHttpRequest r = new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1, HttpMethod.POST, "/v2/models/m/infer", Unpooled.wrappedBuffer(body));
        r.headers().set("Content-Type", contentType);
        for (int i = 0; i < headers.length; i += 2) {
            r.headers().set(headers[i], headers[i + 1]);
        }
        return r;
    }

    private static SignedAnswer answer(byte[] result) {
        StageTimings t = new StageTimings(1, 2, 3, 4, 5, 6, 7, 28);
        return new SignedAnswer(
                "w1",
                result,
                "safetensors",
                signer.sign("w1", result),
                new EnvelopeMeta("m", FakeEngine.SHA256, "cd".repeat(32), t, null, null),
                false);
    }

    @Test
    void prepare_json_defersDecodingToTheDecoder_andNamesTheRoutesModel() {
        FullHttpRequest req = request("application/json; charset=utf-8", BODY.getBytes(StandardCharsets.UTF_8));
        try {
            TaskEndpoint.Prepared<DecodedRequest> p = endpoint.prepare(req, ROUTE);
            assertThat(p.model()).isEqualTo("m");
            req.release(); // the body was copied: decoding later does not need the buffer
            DecodedRequest d = p.decoder().get();
            assertThat(d.requestId()).isEqualTo("w1");
            assertThat(d.inputs()).hasSize(1);
        } finally {
            if (req.refCnt() > 0) {
                req.release();
            }
        }
    }

    @Test
    void prepare_contentTypeAndBinaryHeader_areCheckedAtOnce() {
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        FullHttpRequest text = request("text/plain", body);
        FullHttpRequest octetWithoutHeader = request("application/octet-stream", body);
        FullHttpRequest zero = request("application/octet-stream", body, TensorEndpoint.HEADER_LENGTH, "0");
        FullHttpRequest tooLong = request(
                "application/octet-stream", body, TensorEndpoint.HEADER_LENGTH, Integer.toString(body.length + 1));
        try {
            assertThatThrownBy(() -> endpoint.prepare(text, ROUTE))
                    .isInstanceOf(ApiException.UnsupportedMediaType.class);
            assertThatThrownBy(() -> endpoint.prepare(octetWithoutHeader, ROUTE))
                    .isInstanceOf(ApiException.UnsupportedMediaType.class)
                    .hasMessageContaining(TensorEndpoint.HEADER_LENGTH);
            for (FullHttpRequest bad : new FullHttpRequest[] {zero, tooLong}) {
                assertThatThrownBy(() -> endpoint.prepare(bad, ROUTE))
                        .isInstanceOfSatisfying(
                                ApiException.BadRequest.class,
                                e -> assertThat(e.field()).isEqualTo(TensorEndpoint.HEADER_LENGTH));
            }
        } finally {
            text.release();
            octetWithoutHeader.release();
            zero.release();
            tooLong.release();
        }
    }

    @Test
    void answer_json_isTheEnvelope() throws Exception {
        FullHttpRequest req = request("application/json", BODY.getBytes(StandardCharsets.UTF_8));
        TaskEndpoint.Prepared<DecodedRequest> p = endpoint.prepare(req, ROUTE);
        req.release();
        FullHttpResponse r = p.form().full(ByteBufAllocator.DEFAULT, answer(new byte[] {1, 2, 3}));
        try {
            var envelope = json.mapper().readTree(r.content().toString(StandardCharsets.UTF_8));
            assertThat(r.headers().get("Content-Type")).isEqualTo("application/json");
            assertThat(envelope.get("request_id").asText()).isEqualTo("w1");
            assertThat(Base64.getDecoder().decode(envelope.get("result").asText()))
                    .containsExactly(1, 2, 3);
            assertThat(envelope.get("poe_version").asInt()).isEqualTo(1);
            assertThat(envelope.get("meta").get("timings_us").get("total").asInt())
                    .isEqualTo(28);
        } finally {
            r.release();
        }
    }

    @Test
    void answer_octetStream_isTheRawResult_withThePoeInHeaders() {
        FullHttpRequest req = request(
                "application/json", BODY.getBytes(StandardCharsets.UTF_8), "Accept", "application/octet-stream");
        TaskEndpoint.Prepared<DecodedRequest> p = endpoint.prepare(req, ROUTE);
        req.release();
        SignedAnswer a = answer(new byte[] {9, 8});
        FullHttpResponse r = p.form().full(ByteBufAllocator.DEFAULT, a);
        try {
            assertThat(r.headers().get("Content-Type")).isEqualTo("application/octet-stream");
            assertThat(r.content().readableBytes()).isEqualTo(2);
            assertThat(r.headers().get("Pxnode-Request-Id")).isEqualTo("w1");
            assertThat(r.headers().get("Pxnode-Poe")).isEqualTo(a.signed().poeHex());
            assertThat(Base64.getDecoder().decode(r.headers().get("Pxnode-Sig")))
                    .isEqualTo(a.signed().sig());
            assertThat(r.headers().get("Pxnode-Sig-Alg")).isEqualTo("PS256");
            assertThat(r.headers().get("Pxnode-Poe-Version")).isEqualTo("1");
            assertThat(r.headers().get("Pxnode-Result-Format")).isEqualTo("safetensors");
        } finally {
            r.release();
        }
    }
}
