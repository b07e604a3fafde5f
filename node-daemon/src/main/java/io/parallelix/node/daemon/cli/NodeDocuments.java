package io.parallelix.node.daemon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.crypto.KeyException;
import io.parallelix.node.crypto.KeyFiles;
import io.parallelix.node.crypto.NodeId;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;

/** Public keys from where a coordinator gets them: a PEM file, an identity document, or a live node. */
final class NodeDocuments {
    /** A node's public identity; nodeId is derived from the key, never trusted from the document. */
    record PublicIdentity(RSAPublicKey publicKey, String nodeId, String sigAlg) {}

    private NodeDocuments() {}

    static RSAPublicKey fromPem(Path file) throws KeyException {
        return KeyFiles.readPublicKey(file);
    }

    static PublicIdentity fromDocument(ObjectMapper mapper, Path file) throws IOException, KeyException {
        return parse(mapper, Files.readAllBytes(file), file.toString());
    }

    static PublicIdentity fromNode(ObjectMapper mapper, String url) throws IOException, KeyException {
        URI base = URI.create(url.endsWith("/") ? url : url + "/");
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest req = HttpRequest.newBuilder(base.resolve("v1/node"))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        HttpResponse<byte[]> res;
        try {
            res = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + url);
        } catch (IOException e) {
            throw new IOException("cannot reach " + base.resolve("v1/node") + ": " + e.getMessage(), e);
        }
        if (res.statusCode() != 200) {
            throw new IOException(base.resolve("v1/node") + " answered HTTP " + res.statusCode());
        }
        return parse(mapper, res.body(), url);
    }

    private static PublicIdentity parse(ObjectMapper mapper, byte[] json, String source)
            throws IOException, KeyException {
        JsonNode doc = mapper.readTree(json);
        JsonNode pem = doc == null ? null : doc.get("public_key");
        if (pem == null || !pem.isTextual()) {
            throw new IOException(source + ": not an identity document (no \"public_key\")");
        }
        RSAPublicKey key = KeyFiles.parsePublicKeyPem(pem.asText());
        String derived = NodeId.of(key).hex();
        JsonNode claimed = doc.get("node_id");
        if (claimed != null && !claimed.asText().equals(derived)) {
            throw new IOException(
                    source + ": node_id " + claimed.asText() + " does not match its public key (" + derived + ")");
        }
        JsonNode alg = doc.get("sig_alg");
        return new PublicIdentity(key, derived, alg == null ? "" : alg.asText());
    }
}
