package io.parallelix.node.crypto;

import static io.parallelix.node.crypto.StreamFixture.bytes;
import static io.parallelix.node.crypto.StreamFixture.concat;
import static io.parallelix.node.crypto.StreamFixture.replace;
import static io.parallelix.node.crypto.StreamFixture.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The trailer as the node writes it and {@link SignedStream#read} splits it back. */
class SignedStreamTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final NodeId NODE =
            NodeId.fromHex("1e518ae554f310a7c12c066692e4a8cc4db0c32ac4b0bc0fa694cc08d3de05ac");
    private static final byte[] POE = HexFormat.of().parseHex("00112233445566778899aabbccddeeff".repeat(2));

    private static SignedResult result(String requestId) {
        return new SignedResult(requestId, NODE, POE, new byte[] {1, 2, 3, (byte) 0xfb}, SigAlg.PS256);
    }

    @Test
    void trailer_goldenBytes() {
        byte[] t = SignedStream.trailer(result("req_1"), "openai.completions.v1+sse", "{\"model\":\"m\"}");
        assertThat(new String(t, StandardCharsets.US_ASCII))
                .isEqualTo(": pxnode-poe {\"request_id\":\"req_1\","
                        + "\"node_id\":\"1e518ae554f310a7c12c066692e4a8cc4db0c32ac4b0bc0fa694cc08d3de05ac\","
                        + "\"result_format\":\"openai.completions.v1+sse\","
                        + "\"poe\":\"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\","
                        + "\"sig\":\"AQID+w==\",\"sig_alg\":\"PS256\",\"poe_version\":1,\"meta\":{\"model\":\"m\"}}"
                        + "\n\ndata: [DONE]\n\n");
    }

    @Test
    void read_whatTheWriterWrote_givesBackTheResultAndEveryField() {
        byte[] events = StreamFixture.completion();
        String meta = "{\"a\":\"}{][\\\"\",\"b\":[1,{\"c\":null}],\"d\":{}}";
        // a result format with characters the writer escapes: the reader decodes them back
        byte[] raw = concat(events, SignedStream.trailer(result("req_1"), "f\"\\\u00e9\t", meta));
        SignedStream.Framed f = framed(raw);
        assertThat(f.result()).isEqualTo(events);
        assertThat(f.trailer())
                .isEqualTo(new StreamTrailer(
                        "req_1",
                        NODE.hex(),
                        "f\"\\\u00e9\t",
                        HexFormat.of().formatHex(POE),
                        "AQID+w==",
                        "PS256",
                        "1",
                        meta));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 17, 4242})
    void read_seededRandomStreams_roundTrip(long seed) throws Exception {
        Random random = new Random(seed);
        for (int i = 0; i < 300; i++) {
            StringBuilder events = new StringBuilder();
            for (int e = random.nextInt(5); e > 0; e--) {
                events.append("data: {\"text\":\"").append(randomText(random)).append("\"}\n\n");
            }
            byte[] result = events.toString().getBytes(StandardCharsets.UTF_8);
            String id = "req_" + Long.toHexString(random.nextLong());
            String meta = "{\"m\":[\"" + randomText(random) + "\",{}],\"n\":{\"o\":\"" + randomText(random) + "\"}}";
            SignedStream.Framed f = framed(concat(result, SignedStream.trailer(result(id), "fmt", meta)));
            assertThat(f.result()).as("seed %d", seed).isEqualTo(result);
            assertThat(f.trailer().requestId()).as("seed %d", seed).isEqualTo(id);
            // the same JSON, with what is beyond ASCII as \\u escapes
            assertThat(JSON.readTree(f.trailer().meta())).as("seed %d", seed).isEqualTo(JSON.readTree(meta));
            assertThat(f.trailer().meta()).as("seed %d", seed).matches("[ -~]*");
        }
    }

    /** Printable ASCII, JSON escapes and non-ASCII text, never a raw newline. */
    private static String randomText(Random random) {
        String alphabet = "ab {}[]\",:\\\u00e9\u4e16\ud83c\udf0d";
        StringBuilder b = new StringBuilder();
        for (int n = random.nextInt(12); n > 0; n--) {
            int at = random.nextInt(alphabet.length());
            char c = alphabet.charAt(at);
            if (Character.isHighSurrogate(c)) {
                b.append(c).append(alphabet.charAt(at + 1));
            } else if (!Character.isLowSurrogate(c)) {
                b.append(c == '"' || c == '\\' ? "\\" + c : String.valueOf(c));
            }
        }
        return b.toString();
    }

    @Test
    void read_trailerAtByteZero_isAnEmptyResult() {
        SignedStream.Framed f = framed(SignedStream.trailer(result("req_1"), "fmt", "{}"));
        assertThat(f.result()).isEmpty();
    }

    @Test
    void read_framingDefects_areMalformedNamingThem() {
        byte[] good = concat(StreamFixture.completion(), SignedStream.trailer(result("req_1"), "fmt", "{}"));
        String t = text(good);
        assertMalformed(StreamFixture.completion(), "no trailer");
        assertMalformed(bytes(t.replace(": pxnode-poe ", ":pxnode-poe ")), "no trailer");
        assertMalformed(concat(good, SignedStream.trailer(result("req_1"), "fmt", "{}")), "2 lines start with");
        assertMalformed(bytes(t.replace("\n\n: pxnode", "\n: pxnode")), "does not follow a blank line");
        assertMalformed(bytes(t.replace("\n\n: pxnode", "\r\n\r\n: pxnode")), "does not follow a blank line");
        assertMalformed(bytes(t.replace("\n\n: pxnode", "\n\r: pxnode")), "does not follow a blank line");
        assertMalformed(bytes(t.replace("\n", "\r\n")), "does not follow a blank line");
        assertMalformed(
                bytes(t.replace(SignedStream.END, "\r\n\r\ndata: [DONE]\r\n\r\n")),
                "followed by \"\\r\\n\\r\\ndata: [DONE]\\r\\n\\r\\n\" (20 bytes)");
        assertMalformed(bytes(t + "data: {}\n\n"), "followed by");
        assertMalformed(bytes(t.substring(0, t.length() - 1)), "followed by");
        assertMalformed(bytes(t.substring(0, t.length() - SignedStream.END.length())), "the end of the stream");
        assertMalformed(bytes(t.replace("[DONE]", "[done]")), "followed by");
        assertMalformed(bytes(t.replace("\"fmt\"", "\"f\u00e9\"")), "byte 0xe9 at column");
        assertMalformed(bytes(t.replace("\"fmt\"", "\"f\tt\"")), "byte 0x09 at column");
        assertMalformed(
                bytes(t.replace("\"meta\":{}", "\"meta\":{\"x\":\"" + "y".repeat(SignedStream.MAX_TRAILER) + "\"}")),
                "at most 16384");
    }

    @Test
    void read_trailerJsonDefects_areMalformedNamingThem() {
        byte[] good = concat(StreamFixture.completion(), SignedStream.trailer(result("req_1"), "fmt", "{}"));
        assertMalformed(replace(good, ",\"sig\":\"AQID+w==\"", ""), "trailer: no field \"sig\"");
        assertMalformed(replace(good, "\"meta\":{}", "\"meta\":{},\"extra\":\"x\""), "unknown field \"extra\"");
        assertMalformed(replace(good, "\"meta\":{}", "\"meta\":{},\"poe\":\"ab\""), "\"poe\" appears twice");
        assertMalformed(
                replace(good, "\"poe_version\":1", "\"poe_version\":\"1\""), "\"poe_version\" must be an integer");
        assertMalformed(replace(good, "\"poe_version\":1", "\"poe_version\":1.0"), "expected '}', found '.'");
        assertMalformed(
                replace(good, "\"poe_version\":1", "\"poe_version\":true"),
                "must be a string, an integer or an object");
        assertMalformed(
                replace(good, "\"request_id\":\"req_1\"", "\"request_id\":7"), "\"request_id\" must be a string");
        assertMalformed(replace(good, "\"meta\":{}", "\"meta\":\"{}\""), "\"meta\" must be an object");
        assertMalformed(replace(good, "\"meta\":{}", "\"meta\":{\"a\":[}"), "'}' closes a '['");
        assertMalformed(replace(good, "\"meta\":{}}", "\"meta\":{}"), "the text ends");
        assertMalformed(replace(good, "\"meta\":{}}", "\"meta\":{}} "), "text after the object's end");
        assertMalformed(replace(good, "{\"request_id\"", "{ \"request_id\""), "expected '\"', found ' '");
        assertMalformed(replace(good, "\"sig_alg\":", "\"sig_alg\" :"), "expected ':', found ' '");
        assertMalformed(replace(good, "\"fmt\"", "\"f\\x\""), "\\x is not a JSON escape");
        assertMalformed(replace(good, "\"fmt\"", "\"f\\u12g4\""), "\\u needs four hex digits");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 17, 4242})
    void read_seededRandomTails_neverThrow(long seed) {
        Random random = new Random(seed);
        byte[] good = concat(StreamFixture.completion(), SignedStream.trailer(result("req_1"), "fmt", "{\"a\":[{}]}"));
        byte[] alphabet = bytes("\n\r:{}[]\",\\ 0a-u.p");
        for (int i = 0; i < 5000; i++) {
            byte[] raw = good.clone();
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = raw.length - 1 - random.nextInt(Math.min(raw.length, 400)); // mostly the trailer
                raw[at] =
                        random.nextInt(4) == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
            }
            if (random.nextInt(8) == 0) {
                raw = java.util.Arrays.copyOf(raw, random.nextInt(raw.length + 1));
            }
            byte[] mutated = raw;
            SignedStream.Read read = SignedStream.read(mutated);
            assertThat(read).as("seed %d", seed).isNotNull();
        }
    }

    @Test
    void trailer_metaBeyondAscii_isEscaped_soTheTrailerStaysAscii() {
        byte[] t = SignedStream.trailer(result("req_1"), "fmt", "{\"model\":\"gr\u00fc\u00df \ud83c\udf0d\"}");
        assertThat(new String(t, StandardCharsets.US_ASCII))
                .contains(",\"meta\":{\"model\":\"gr\\u00fc\\u00df \\ud83c\\udf0d\"}}\n\n");
    }

    @Test
    void trailer_metaThatIsNotOneLineOfAnObject_isRefused() {
        for (String meta : new String[] {"{\t}", "{}x", "{\"a\":[}", "{\"a\":\"}", "\"x\""}) {
            assertThatThrownBy(() -> SignedStream.trailer(result("req_1"), "fmt", meta))
                    .as(meta)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("meta must be one line of JSON, an object");
        }
        String big = "{\"x\":\"" + "y".repeat(SignedStream.MAX_TRAILER) + "\"}";
        assertThatThrownBy(() -> SignedStream.trailer(result("req_1"), "fmt", big))
                .hasMessageContaining("readers take at most 16384");
        assertThatThrownBy(() -> SignedStream.trailer(result("req_1"), "fmt", "{\n}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SignedStream.trailer(result("req_1"), "fmt", "[]"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static SignedStream.Framed framed(byte[] raw) {
        SignedStream.Read read = SignedStream.read(raw);
        assertThat(read).isInstanceOf(SignedStream.Framed.class);
        return (SignedStream.Framed) read;
    }

    private static void assertMalformed(byte[] raw, String detail) {
        SignedStream.Read read = SignedStream.read(raw);
        assertThat(read).isInstanceOf(SignedStream.Malformed.class);
        assertThat(((SignedStream.Malformed) read).detail()).contains(detail);
    }
}
