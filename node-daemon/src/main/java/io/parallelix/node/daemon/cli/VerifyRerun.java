package io.parallelix.node.daemon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parallelix.node.crypto.CryptoProvider;
import io.parallelix.node.crypto.EnvelopeVerifier;
import io.parallelix.node.crypto.KeyFiles;
import io.parallelix.node.crypto.SignedHeaders;
import io.parallelix.node.crypto.Verdict;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code pxnode verify --rerun}: hands a claimed answer to a verifying node's POST /v1/verify
 * (docs/verification.md) and checks what comes back: the verdict must be signed by that node (its
 * key from its /v1/node) for this verify request's id. Prints the verdict; exit 0 accept, 1 reject
 * or a verdict that does not verify.
 */
final class VerifyRerun {
    /** What the verify request is made of: the answer as received in one of its forms. */
    record Claim(String endpoint, String model, JsonNode request, ObjectNode answer, RSAPublicKey claimer) {}

    private final ObjectMapper mapper;
    private final HttpClient client;

    VerifyRerun(ObjectMapper mapper) {
        this.mapper = mapper;
        this.client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    int run(PrintWriter out, String verifierUrl, Claim claim) throws Exception {
        ObjectNode body = mapper.createObjectNode().put("model", claim.model()).put("endpoint", claim.endpoint());
        body.set("request", claim.request());
        body.set("answer", claim.answer());
        body.put("public_key", KeyFiles.publicKeyPem(claim.claimer()));
        URI base = URI.create(verifierUrl.endsWith("/") ? verifierUrl : verifierUrl + "/");
        String id = "pxnode-cli-verify-" + java.util.HexFormat.of().formatHex(java.security.SecureRandom.getSeed(8));
        HttpResponse<byte[]> res;
        try {
            res = client.send(
                    HttpRequest.newBuilder(base.resolve("v1/verify"))
                            .timeout(Duration.ofMinutes(10))
                            .header("Content-Type", "application/json")
                            .header(SignedHeaders.REQUEST_ID, id)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body)))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + base);
        } catch (IOException e) {
            throw new IOException("cannot reach " + base.resolve("v1/verify") + ": " + e.getMessage(), e);
        }
        String text = new String(res.body(), StandardCharsets.UTF_8);
        if (res.statusCode() != 200) {
            throw new ExitCodes.UsageException(
                    "the verifier refused the verify request: HTTP " + res.statusCode() + " " + text);
        }
        RSAPublicKey verifier = NodeDocuments.fromNode(mapper, verifierUrl).publicKey();
        Map<String, List<String>> headers = res.headers().map();
        Verdict signed = new EnvelopeVerifier(CryptoProvider.JDK).verifyHeaders(res.body(), headers, id, verifier);
        JsonNode verdict = mapper.readTree(res.body());
        out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(verdict));
        if (!signed.valid()) {
            out.println("the verdict does not verify: " + signed.failed() + ": " + signed.detail());
            out.flush();
            return ExitCodes.CHECK_FAILED;
        }
        boolean accept = verdict.path("verdict").asText().equals("accept");
        out.println(
                accept
                        ? "accept (verdict signed by "
                                + verdict.path("verifier").path("model").asText() + " on node "
                                + res.headers()
                                        .firstValue(SignedHeaders.NODE_ID)
                                        .orElse("?") + ")"
                        : "reject: " + verdict.at("/first_failed/check").asText() + ": "
                                + verdict.at("/first_failed/detail").asText());
        out.flush();
        return accept ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }
}
