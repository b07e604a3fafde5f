package io.parallelix.node.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzz tests of the key parsers (Jazzer): PEM text, and the DER inside it (wrapped in PEM by the
 * test, so that mutations reach the ASN.1 instead of breaking the base64). Any input gives a usable
 * key or a KeyException, never another exception, and the exception's messages (causes included)
 * hold no run of the key's base64 or hex. A normal build replays the committed inputs in
 * {@code KeyParsingFuzzTestInputs/<method>/}; {@code scripts/fuzz.sh} fuzzes for real.
 *
 * <p>Only text is committed there. The DER targets' inputs are made from it ({@link #binaryInputs}:
 * the DER inside each PEM input of the matching text target), and findings with control bytes are
 * kept below as base64; {@link #binaryInputs_replayed} replays them in every build, and in fuzzing
 * mode they seed the fuzzer's corpus.
 *
 * <p>Seeds are the TEST-ONLY keys already published in this repository ({@link SelfTestKey}, the
 * key of docs/test-vectors) in every form that pxnode reads or refuses, converted with openssl:
 * PKCS#8, PKCS#1, encrypted PKCS#8 ({@value #PASSPHRASE_TEXT}, 1000 PBKDF2 iterations), encrypted
 * PKCS#1, SubjectPublicKeyInfo, PKCS#1 public; and throwaway RSA-PSS, EC and 1024-bit keys.
 */
class KeyParsingFuzzTest {
    private static final String PASSPHRASE_TEXT = "fuzz-passphrase";
    private static final String[] PRIVATE_LABELS = {"PRIVATE KEY", "RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY"};

    /** Nine bytes of a key, as base64 (12 characters) or hex (18), are a leak. */
    private static final Pattern BASE64_RUN = Pattern.compile("[A-Za-z0-9+/]{12,}");

    private static final Pattern HEX_RUN = Pattern.compile("[0-9a-fA-F]{18,}");

    /**
     * Long words that key messages contain on their own: pxnode's wording (the base64-alphabet runs of
     * 12+ characters in the string literals of the key classes), exception class names, and the JDK's
     * PBE scheme names, which "key encryption ... is not supported" quotes.
     */
    private static final String VOCABULARY = String.join(
            " ",
            "EncryptedPrivateKeyInfo PrivateKeyInfo SubjectPublicKeyInfo RSAPublicKey rsaEncryption",
            "SHA256withRSA hmacWithSHA256 unterminated SignatureException InvalidKeyException",
            "PBEWithMD5AndDES PBEWithMD5AndTripleDES PBEWithSHA1AndDESede PBEWithSHA1AndRC2 PBEWithSHA1AndRC4",
            "PBEWithHmacSHA1AndAES PBEWithHmacSHA224AndAES PBEWithHmacSHA256AndAES PBEWithHmacSHA384AndAES",
            "PBEWithHmacSHA512AndAES PBEWithHmacSHA512/224AndAES PBEWithHmacSHA512/256AndAES");

    /** Findings whose input holds control bytes (so no text file), as Jazzer wrote them: base64. */
    private static final Map<String, String> BINARY_FINDINGS = Map.of(
            "parsePrivateKey_anyText_nodeKeyOrKeyException/crash-label-runs-into-base64",
            "LS0tLS1CRUdJTiBQUklWQVRFIEtFWWktLS0tCk1JSUV2QUlCQURBTEJna3Foa2lHOXcwQkFRb0VnZ1NvTUlJRXAtLS0tLUJF"
                    + "R0lOIEVOQ1JZUFRFRCBQUklWQVRFIEtFWS0tLS0tCk1JSUZMVEJYQmdrcWhraUc5dzBCQlEwd1NqQXBCZ2txaGtpRzl3MEJC"
                    + "UXd3SEFRSTRWajBtMjFUTmhrQ0FnUG8KTUF3R0NDcUdTSWIzRFFJSkJRQXdIUVlKWUlaSUFXVURCQUVxQkJCMWhybnVIVkZk"
                    + "SktNN2xucGtvallZQklJRQowSEtYWkJ0RFozSElheVpTQUlCQUFLQ0FRRUFyZUs4bkxWYkxuMnlocXEyCk9iTWI4QkRweFhW"
                    + "WEJTOHNwZk9CTkMxM0wza3pqVVAyaitzWaJpbUdHQjN3bDdPWnJLR0lQbGtGVTArT3NnY3MKV2ZMdnpQcHp1Nk5hTjNYS1lh"
                    + "aXd1ZitLblZaZ2dTZytJMGRRTm5PbUNJQ3lCWHdqMDR5N3c2QXJNcnQxbEphWFpIUmNwN09oTldxTmR0RFdpbmJSN2QzNjZV"
                    + "N1FxSmlmRlpBMU5qRk1kRQpWUkQzTW5XSDFKNVpROA==",
            "parsePublicKeyPem_anyText_usableKeyOrKeyException/crash-label-runs-into-base64",
            "LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0t3C0KTUlJQklqQU5CZ2txaGtpRzl3MEJBUUVGQUFPAQAAAAAAAABCQ2dLQ0EtLS0t"
                    + "LUJFR0lOIFBVQkxJQyBLRVktLS0tLQpNSUlCb2pBTkJna3Foa2lHOXcwQkFRRUZRQU9DQVk4QU1JSUJpZ0tDQVlFQStLREMy"
                    + "L3hEZTRTc1FFQXlQYnJk",
            "parsePublicKeyPem_anyText_usableKeyOrKeyException/oracle-message-word-in-key-text",
            "LS0tLS1CRUdJTiAAf1BVQkxJQyBLRVktLS0tLQpNSUlCb2pBTkI3N3ZiZ2c3am84bllpZ3R4czV5V2hlAAAAAAAAAAAAAAAA"
                    + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAABMTy80S0FSTFNNcTYrR2s1UDN3dlFK"
                    + "U05oeW12THdPcHY5azoyUGdLMHpSVTFWdjBZMFQyMGFOYjVDCmNjcDVlLzhMQXMyd3VPdXVudGVybWluYXRlZEtuaDZqalB2"
                    + "VnArL3ZDY0MyTFFaRG9ZADNhdHcyRWJBZ01CQUFFPQotLS0tLUVORCBQVUJMSUMgS0VZLS0tLS0K");

    private final EnvelopeVerifier verifier = new EnvelopeVerifier(CryptoProvider.JDK);

    /**
     * Inputs kept out of the inputs directory because they are binary: (target method, name, bytes).
     * anyDer (private): a label byte (index into the private labels), then the DER of each PEM input
     * of anyText; anyDer (public): the DER of each "PUBLIC KEY" input of the public anyText.
     */
    static Stream<Arguments> binaryInputs() throws IOException, KeyException {
        List<Arguments> out = new ArrayList<>();
        for (Path file : inputs("parsePrivateKey_anyText_nodeKeyOrKeyException")) {
            Pem pem = pem(file);
            int label = pem == null ? -1 : List.of(PRIVATE_LABELS).indexOf(pem.label());
            if (label >= 0) {
                byte[] input = new byte[pem.der().length + 1];
                input[0] = (byte) label;
                System.arraycopy(pem.der(), 0, input, 1, pem.der().length);
                out.add(arguments("parsePrivateKey_anyDer_nodeKeyOrKeyException", derName(file), input));
            }
        }
        for (Path file : inputs("parsePublicKeyPem_anyText_usableKeyOrKeyException")) {
            Pem pem = pem(file);
            if (pem != null && pem.label().equals("PUBLIC KEY")) {
                out.add(arguments("parsePublicKeyPem_anyDer_usableKeyOrKeyException", derName(file), pem.der()));
            }
        }
        BINARY_FINDINGS.forEach((key, base64) -> out.add(arguments(
                key.substring(0, key.indexOf('/')),
                key.substring(key.indexOf('/') + 1),
                Base64.getDecoder().decode(base64))));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("binaryInputs")
    void binaryInputs_replayed(String target, String name, byte[] input) {
        switch (target) {
            case "parsePrivateKey_anyText_nodeKeyOrKeyException" ->
                parsePrivateKey_anyText_nodeKeyOrKeyException(input);
            case "parsePrivateKey_anyDer_nodeKeyOrKeyException" -> parsePrivateKey_anyDer_nodeKeyOrKeyException(input);
            case "parsePublicKeyPem_anyText_usableKeyOrKeyException" ->
                parsePublicKeyPem_anyText_usableKeyOrKeyException(input);
            case "parsePublicKeyPem_anyDer_usableKeyOrKeyException" ->
                parsePublicKeyPem_anyDer_usableKeyOrKeyException(input);
            default -> throw new IllegalArgumentException("no fuzz target " + target);
        }
    }

    /** In fuzzing mode (JAZZER_FUZZ, scripts/fuzz.sh) the binary inputs join the generated corpus. */
    @BeforeAll
    static void seedCorpus() throws IOException, KeyException {
        if (System.getenv("JAZZER_FUZZ") != null) {
            for (Arguments a : binaryInputs().toList()) {
                Path dir = Path.of(".cifuzz-corpus", KeyParsingFuzzTest.class.getName(), (String) a.get()[0]);
                Files.write(Files.createDirectories(dir).resolve((String) a.get()[1]), (byte[]) a.get()[2]);
            }
        }
    }

    private static List<Path> inputs(String target) throws IOException {
        try (Stream<Path> files = Files.list(Path.of(URI.create(
                String.valueOf(KeyParsingFuzzTest.class.getResource("KeyParsingFuzzTestInputs/" + target)))))) {
            return files.sorted().toList();
        }
    }

    /** The file's one PEM block without headers, or null (an input that is not a clean PEM key). */
    private static @Nullable Pem pem(Path file) throws IOException {
        try {
            Pem pem = Pem.decode(Files.readAllBytes(file));
            return pem.hasHeaders() ? null : pem;
        } catch (KeyException e) {
            return null;
        }
    }

    private static String derName(Path file) {
        return file.getFileName().toString().replaceFirst("\\.pem$", "") + ".der";
    }

    /** PEM text of a private key, plain or encrypted (the passphrase is the seeds' one). */
    @FuzzTest(maxDuration = "60s")
    void parsePrivateKey_anyText_nodeKeyOrKeyException(byte[] text) {
        String body = pemBody(text);
        try {
            assertUsable(KeyFiles.parsePrivateKey(text.clone(), PASSPHRASE_TEXT.toCharArray()));
        } catch (KeyException e) {
            assertNoKeyMaterial(e, body, lenientBase64(body), pemLabel(text));
        }
    }

    /** DER under a private-key label picked by the first byte: PKCS#8, PKCS#1 or encrypted PKCS#8. */
    @FuzzTest(maxDuration = "60s")
    void parsePrivateKey_anyDer_nodeKeyOrKeyException(byte[] input) {
        if (input.length == 0) {
            return;
        }
        byte[] der = Arrays.copyOfRange(input, 1, input.length);
        byte[] pem = Pem.encode(PRIVATE_LABELS[(input[0] & 0xff) % PRIVATE_LABELS.length], der);
        try {
            assertUsable(KeyFiles.parsePrivateKey(pem, PASSPHRASE_TEXT.toCharArray()));
        } catch (KeyException e) {
            assertNoKeyMaterial(e, Base64.getEncoder().encodeToString(der), der, "");
        }
    }

    /** PEM text of a public key. */
    @FuzzTest(maxDuration = "60s")
    void parsePublicKeyPem_anyText_usableKeyOrKeyException(byte[] text) {
        String pem = new String(text, StandardCharsets.UTF_8);
        byte[] utf8 = pem.getBytes(StandardCharsets.UTF_8);
        String body = pemBody(utf8);
        try {
            assertUsable(KeyFiles.parsePublicKeyPem(pem));
        } catch (KeyException e) {
            assertNoKeyMaterial(e, body, lenientBase64(body), pemLabel(utf8));
        }
    }

    /** A SubjectPublicKeyInfo DER, wrapped as "PUBLIC KEY". */
    @FuzzTest(maxDuration = "60s")
    void parsePublicKeyPem_anyDer_usableKeyOrKeyException(byte[] der) {
        String pem = new String(Pem.encode("PUBLIC KEY", der), StandardCharsets.US_ASCII);
        try {
            assertUsable(KeyFiles.parsePublicKeyPem(pem));
        } catch (KeyException e) {
            assertNoKeyMaterial(e, Base64.getEncoder().encodeToString(der), der, "");
        }
    }

    /**
     * A node key signs and verifies (NodeKey.of checked that), its private parameters agree with one
     * another (PKCS#1: n = pq, d inverts e, the CRT values derive from d, p and q), and its public
     * half reads back as itself.
     */
    private void assertUsable(NodeKey key) throws KeyException {
        assertThat(key.bits()).isGreaterThanOrEqualTo(NodeKey.MIN_BITS);
        if (key.privateKey() instanceof RSAPrivateCrtKey k) {
            BigInteger p1 = k.getPrimeP().subtract(BigInteger.ONE);
            BigInteger q1 = k.getPrimeQ().subtract(BigInteger.ONE);
            assertThat(k.getPrimeP().multiply(k.getPrimeQ())).isEqualTo(k.getModulus());
            assertThat(k.getPublicExponent().multiply(k.getPrivateExponent()).mod(p1))
                    .isEqualTo(BigInteger.ONE);
            assertThat(k.getPublicExponent().multiply(k.getPrivateExponent()).mod(q1))
                    .isEqualTo(BigInteger.ONE);
            assertThat(k.getPrivateExponent().mod(p1)).isEqualTo(k.getPrimeExponentP());
            assertThat(k.getPrivateExponent().mod(q1)).isEqualTo(k.getPrimeExponentQ());
            assertThat(k.getCrtCoefficient().multiply(k.getPrimeQ()).mod(k.getPrimeP()))
                    .isEqualTo(BigInteger.ONE);
        }
        RSAPublicKey again = KeyFiles.parsePublicKeyPem(KeyFiles.publicKeyPem(key.publicKey()));
        assertThat(again.getModulus()).isEqualTo(key.publicKey().getModulus());
        assertThat(NodeId.of(again)).isEqualTo(key.nodeId());
        assertUsable(again);
    }

    /** A public key the parser accepts can be handed to the verifier: a verdict, never an exception. */
    private void assertUsable(RSAPublicKey key) {
        assertThat(key.getModulus().bitLength()).isGreaterThanOrEqualTo(NodeKey.MIN_BITS);
        byte[] nonce = new byte[ResultSigner.MIN_NONCE_BYTES];
        byte[] zeroSignature = new byte[(key.getModulus().bitLength() + 7) / 8];
        String nodeId = NodeId.of(key).hex();
        for (SigAlg alg : SigAlg.values()) {
            Verdict v = verifier.verifyChallenge(nonce, nodeId, zeroSignature, alg.wireName(), key);
            assertThat(v.failed()).as("%s: %s", alg, v.detail()).isEqualTo(Verdict.Check.SIGNATURE);
        }
    }

    /**
     * No 12-character base64 window or 18-digit hex window of a message occurs in the key's text or
     * bytes, unless it is one the message may quote: part of the BEGIN line's label or of pxnode's
     * own wording ({@link #VOCABULARY}). The key's windows go into a HashSet rather than through
     * String.contains, which Jazzer hooks: that would teach the fuzzer to copy message words into
     * the key, only to trip this check.
     */
    private static void assertNoKeyMaterial(KeyException e, String base64, byte[] der, String label) {
        assertThat(e.reason()).isNotNull();
        Set<String> quotable = windows(label + " " + VOCABULARY, 12);
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            List<String> base64Windows = new ArrayList<>();
            for (String run : runs(BASE64_RUN, message)) {
                windows(run, 12).stream().filter(w -> !quotable.contains(w)).forEach(base64Windows::add);
            }
            if (!base64Windows.isEmpty()) {
                Set<String> secret = windows(base64.replaceAll("\\s", ""), 12);
                assertThat(base64Windows).as(message).noneMatch(secret::contains);
            }
            List<String> hexWindows = new ArrayList<>();
            for (String run : runs(HEX_RUN, message)) {
                hexWindows.addAll(windows(run.toLowerCase(Locale.ROOT), 18));
            }
            if (!hexWindows.isEmpty()) {
                Set<String> secret = windows(HexFormat.of().formatHex(der), 18);
                assertThat(hexWindows).as(message).noneMatch(secret::contains);
            }
        }
    }

    private static List<String> runs(Pattern pattern, String message) {
        List<String> out = new ArrayList<>();
        Matcher m = pattern.matcher(message);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static Set<String> windows(String s, int width) {
        Set<String> out = new HashSet<>();
        for (int i = 0; i + width <= s.length(); i++) {
            out.add(s.substring(i, i + width));
        }
        return out;
    }

    /** All that follows the first "-----BEGIN " (an empty string when there is none). */
    private static String pemBody(byte[] text) {
        String s = new String(text, StandardCharsets.ISO_8859_1);
        int begin = s.indexOf("-----BEGIN ");
        return begin < 0 ? "" : s.substring(begin + 11);
    }

    /** The first BEGIN line's label where it is one line of printable ASCII (the only kind quoted). */
    private static String pemLabel(byte[] text) {
        String s = new String(text, StandardCharsets.ISO_8859_1);
        int begin = s.indexOf("-----BEGIN ");
        int labelEnd = begin < 0 ? -1 : s.indexOf("-----", begin + 11);
        String label = labelEnd < 0 ? "" : s.substring(begin + 11, labelEnd);
        return label.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? label : "";
    }

    private static byte[] lenientBase64(String body) {
        try {
            return Base64.getMimeDecoder().decode(body.replaceAll("-----END[^\n]*", ""));
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }
}
