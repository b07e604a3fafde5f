package io.parallelix.node.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.crypto.Verdict.Check;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A (body, headers) answer: the block parser and {@link EnvelopeVerifier#verifyHeaders}. */
class SignedHeadersTest {
    private static final String ID = "req_01HZX3";
    private static final byte[] BODY = "{\"object\":\"list\",\"data\":[]}".getBytes(StandardCharsets.US_ASCII);

    private final NodeKey key = TestKeys.rsa2048();
    private final EnvelopeVerifier verifier = new EnvelopeVerifier(CryptoProvider.JDK);

    private Map<String, List<String>> headers(SigAlg alg) {
        SignedResult s;
        try {
            s = new ResultSigner(key, alg, CryptoProvider.JDK).sign(ID, BODY);
        } catch (KeyException e) {
            throw new IllegalStateException(e);
        }
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("Content-Type", List.of("application/json"));
        h.put(SignedHeaders.REQUEST_ID, List.of(ID));
        h.put(SignedHeaders.NODE_ID, List.of(s.nodeId().hex()));
        h.put(SignedHeaders.POE, List.of(s.poeHex()));
        h.put(SignedHeaders.SIG, List.of(Base64.getEncoder().encodeToString(s.sig())));
        h.put(SignedHeaders.SIG_ALG, List.of(alg.wireName()));
        h.put(SignedHeaders.POE_VERSION, List.of("1"));
        h.put(SignedHeaders.RESULT_FORMAT, List.of("openai.embeddings.v1+json"));
        return h;
    }

    private @Nullable Check verify(Consumer<Map<String, List<String>>> change) {
        Map<String, List<String>> h = headers(SigAlg.PS256);
        change.accept(h);
        return verifier.verifyHeaders(BODY, h, key.publicKey()).failed();
    }

    @ParameterizedTest
    @EnumSource(SigAlg.class)
    void verifyHeaders_untouched_isValid(SigAlg alg) {
        assertThat(verifier.verifyHeaders(BODY, headers(alg), key.publicKey())).isEqualTo(Verdict.ok());
    }

    @Test
    void verifyHeaders_parsedFromTheRawBlock_isValidWhateverTheCaseOfNames() {
        StringBuilder block = new StringBuilder("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n");
        headers(SigAlg.RS256)
                .forEach((k, v) -> block.append(k.toLowerCase(java.util.Locale.ROOT))
                        .append(":  ")
                        .append(v.get(0))
                        .append(" \t\r\n"));
        block.append("\r\n");
        Map<String, List<String>> parsed = SignedHeaders.parse(block.toString());
        assertThat(parsed).containsEntry("pxnode-request-id", List.of(ID));
        assertThat(verifier.verifyHeaders(BODY, parsed, key.publicKey()).valid())
                .isTrue();
    }

    @Test
    void verifyHeaders_tamperedBodyOrEachHeader_failsTheCheckItBelongsTo() {
        byte[] body = BODY.clone();
        body[3] ^= 1;
        assertThat(verifier.verifyHeaders(body, headers(SigAlg.PS256), key.publicKey())
                        .failed())
                .isEqualTo(Check.POE);
        assertThat(verify(h -> h.put(SignedHeaders.REQUEST_ID, List.of("req_01HZX4"))))
                .isEqualTo(Check.POE);
        assertThat(verify(h -> h.put(SignedHeaders.REQUEST_ID, List.of("req 1"))))
                .isEqualTo(Check.REQUEST_ID);
        assertThat(verify(h -> h.put(SignedHeaders.SIG_ALG, List.of("ES256")))).isEqualTo(Check.SIG_ALG);
        assertThat(verify(h -> h.put(SignedHeaders.SIG_ALG, List.of("RS256")))).isEqualTo(Check.SIGNATURE);
        assertThat(verify(h -> h.put(
                        SignedHeaders.NODE_ID,
                        List.of(TestKeys.other2048().nodeId().hex()))))
                .isEqualTo(Check.NODE_ID);
        assertThat(verify(h -> h.put(SignedHeaders.POE_VERSION, List.of("2")))).isEqualTo(Check.POE);
        assertThat(verify(h -> h.put(SignedHeaders.POE, List.of("zz")))).isEqualTo(Check.POE);
        assertThat(verify(h -> h.put(
                        SignedHeaders.POE,
                        List.of(flipHex(h.get(SignedHeaders.POE).get(0))))))
                .isEqualTo(Check.POE);
        assertThat(verify(h -> h.put(
                        SignedHeaders.SIG,
                        List.of(h.get(SignedHeaders.SIG).get(0).replace("=", "")))))
                .isEqualTo(Check.SIGNATURE);
        // the unsigned headers change nothing
        assertThat(verify(h -> h.put(SignedHeaders.RESULT_FORMAT, List.of("other"))))
                .isNull();
    }

    @Test
    void verifyHeaders_missingOrRepeatedHeader_failsItsCheckNamingTheHeader() {
        Map<String, Check> checks = Map.of(
                SignedHeaders.REQUEST_ID, Check.REQUEST_ID,
                SignedHeaders.SIG_ALG, Check.SIG_ALG,
                SignedHeaders.NODE_ID, Check.NODE_ID,
                SignedHeaders.POE_VERSION, Check.POE,
                SignedHeaders.POE, Check.POE,
                SignedHeaders.SIG, Check.SIGNATURE);
        checks.forEach((name, check) -> {
            Map<String, List<String>> missing = headers(SigAlg.PS256);
            missing.remove(name);
            Verdict v = verifier.verifyHeaders(BODY, missing, key.publicKey());
            assertThat(v.failed()).as(name).isEqualTo(check);
            assertThat(v.detail()).isEqualTo("missing header " + name);
            Map<String, List<String>> twice = headers(SigAlg.PS256);
            twice.put(name.toUpperCase(java.util.Locale.ROOT), twice.get(name)); // same value, other case
            Verdict t = verifier.verifyHeaders(BODY, twice, key.publicKey());
            assertThat(t.failed()).as(name).isEqualTo(check);
            assertThat(t.detail()).contains("appears 2 times");
        });
    }

    @Test
    void verifyHeaders_allocatedId_mustBeTheAnswers() {
        assertThat(verifier.verifyHeaders(BODY, headers(SigAlg.PS256), ID, key.publicKey()))
                .isEqualTo(Verdict.ok());
        Verdict other = verifier.verifyHeaders(BODY, headers(SigAlg.PS256), "req_mine", key.publicKey());
        assertThat(other.failed()).isEqualTo(Check.REQUEST_ID);
        assertThat(other.detail()).isEqualTo("request_id \"" + ID + "\" is not the allocated id \"req_mine\"");
        Map<String, List<String>> invalid = headers(SigAlg.PS256);
        invalid.put(SignedHeaders.REQUEST_ID, List.of("req 1"));
        // the id's own rule comes first
        assertThat(verifier.verifyHeaders(BODY, invalid, "req_mine", key.publicKey())
                        .detail())
                .contains("only [A-Za-z0-9._:-] are allowed");
    }

    @Test
    void verifyHeaders_missingSignatureBehindAWrongPoe_reportsThePoeFirst() {
        assertThat(verify(h -> {
                    h.remove(SignedHeaders.SIG);
                    h.put(
                            SignedHeaders.POE,
                            List.of(flipHex(h.get(SignedHeaders.POE).get(0))));
                }))
                .isEqualTo(Check.POE);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 17, 4242})
    void verifyHeaders_seededRandomHeaderMutations_neverThrowAndNeverPass(long seed) {
        Random random = new Random(seed);
        Map<String, List<String>> good = headers(SigAlg.PS256);
        List<String> names = new ArrayList<>(good.keySet());
        names.remove("Content-Type");
        names.remove(SignedHeaders.RESULT_FORMAT);
        for (int i = 0; i < 200; i++) {
            Map<String, List<String>> h = new LinkedHashMap<>(good);
            String name = names.get(random.nextInt(names.size()));
            char[] value = h.get(name).get(0).toCharArray();
            value[random.nextInt(value.length)] ^= (char) (1 + random.nextInt(0x7e));
            h.put(name, List.of(new String(value)));
            Verdict v = verifier.verifyHeaders(BODY, h, key.publicKey());
            assertThat(v.valid()).as("seed %d, %s", seed, name).isFalse();
        }
    }

    @Test
    void parse_lfOnlyAndInterimResponses_keepTheLastResponse() {
        Map<String, List<String>> h = SignedHeaders.parse(
                "HTTP/1.1 301 Moved\nLocation: /x\nPxnode-Poe: old\n\nHTTP/1.1 200 OK\nPxnode-Poe: new\nA: 1\na: 2\n\n");
        assertThat(h).containsOnlyKeys("pxnode-poe", "a");
        assertThat(h.get("pxnode-poe")).containsExactly("new");
        assertThat(h.get("a")).containsExactly("1", "2");
    }

    @Test
    void parse_lineThatIsNotAHeader_isRefusedNamingIt() {
        assertThatThrownBy(() -> SignedHeaders.parse("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 1")
                .hasMessageContaining("no colon here");
        assertThatThrownBy(() -> SignedHeaders.parse("HTTP/1.1 200 OK\r\nbad name: x\r\n"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String flipHex(String hex) {
        byte[] b = HexFormat.of().parseHex(hex);
        b[0] ^= 1;
        return HexFormat.of().formatHex(b);
    }
}
