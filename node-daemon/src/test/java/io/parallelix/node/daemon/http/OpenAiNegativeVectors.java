package io.parallelix.node.daemon.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The (body, headers) pairs a verifier must refuse, each one change away from a valid RS256
 * answer, with the check that must fail first. Deterministic: built from the RS256 case only.
 */
final class OpenAiNegativeVectors {
    private final JsonNodeFactory f = JsonNodeFactory.instance;
    private final ArrayNode out = f.arrayNode();
    private final byte[] body;
    private final String head;

    private OpenAiNegativeVectors(JsonNode valid) {
        this.body = valid.get("body").asText().getBytes(StandardCharsets.UTF_8);
        this.head = valid.get("rs256_headers").asText();
    }

    static ArrayNode build(JsonNode valid, JsonNode other, String otherNodeId) {
        OpenAiNegativeVectors n = new OpenAiNegativeVectors(valid);
        String h = n.head;
        byte[] flipped = n.body.clone();
        flipped[flipped.length / 2] ^= 0x01;
        n.add("flipped-body-bit", flipped, h, "poe");
        n.add("body-of-another-answer", other.get("body").asText().getBytes(StandardCharsets.UTF_8), h, "poe");
        n.add("changed-request-id", n.body, set(h, "Pxnode-Request-Id", "req_01J9ZP6V3Q8Z"), "poe");
        n.add("invalid-request-id", n.body, set(h, "Pxnode-Request-Id", "req 01"), "request_id");
        n.add("missing-request-id", n.body, remove(h, "Pxnode-Request-Id"), "request_id");
        n.add("unknown-sig-alg", n.body, set(h, "Pxnode-Sig-Alg", "RS512"), "sig_alg");
        n.add("rs256-presented-as-ps256", n.body, set(h, "Pxnode-Sig-Alg", "PS256"), "signature");
        n.add("node-id-of-another-node", n.body, set(h, "Pxnode-Node-Id", otherNodeId), "node_id");
        n.add("missing-node-id", n.body, remove(h, "Pxnode-Node-Id"), "node_id");
        n.add("poe-version-2", n.body, set(h, "Pxnode-Poe-Version", "2"), "poe");
        n.add("flipped-poe-bit", n.body, set(h, "Pxnode-Poe", flipHex(value(h, "Pxnode-Poe"))), "poe");
        n.add("poe-twice", n.body, add(h, "pxnode-poe", value(h, "Pxnode-Poe")), "poe");
        n.add("missing-sig", n.body, remove(h, "Pxnode-Sig"), "signature");
        String sig = value(h, "Pxnode-Sig");
        if (sig.indexOf('+') < 0 && sig.indexOf('/') < 0) {
            throw new IllegalStateException("this signature has no + or /; pick another request id");
        }
        n.add(
                "sig-in-base64url",
                n.body,
                set(h, "Pxnode-Sig", sig.replace('+', '-').replace('/', '_')),
                "signature");
        n.add("sig-with-extra-padding", n.body, set(h, "Pxnode-Sig", sig + "=="), "signature");
        String otherSig = (sig.charAt(10) == 'A' ? "B" : "A");
        n.add(
                "flipped-sig-char",
                n.body,
                set(h, "Pxnode-Sig", sig.substring(0, 10) + otherSig + sig.substring(11)),
                "signature");
        return n.out;
    }

    private void add(String name, byte[] b, String headers, String check) {
        ObjectNode c = out.addObject();
        c.put("name", name);
        c.put("body_b64", Base64.getEncoder().encodeToString(b));
        c.put("headers", headers);
        c.put("expect_failed_check", check);
    }

    private static List<String> lines(String head) {
        return new ArrayList<>(List.of(head.split("\r\n", -1)));
    }

    private static boolean named(String line, String name) {
        return line.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":");
    }

    static String value(String head, String name) {
        return lines(head).stream()
                .filter(l -> named(l, name))
                .findFirst()
                .orElseThrow()
                .substring(name.length() + 1)
                .strip();
    }

    private static String set(String head, String name, String value) {
        List<String> out = lines(head);
        out.replaceAll(l -> named(l, name) ? name + ": " + value : l);
        return String.join("\r\n", out);
    }

    private static String remove(String head, String name) {
        List<String> out = lines(head);
        out.removeIf(l -> named(l, name));
        return String.join("\r\n", out);
    }

    /** Another line of the same header, after the status line. */
    private static String add(String head, String name, String value) {
        List<String> out = lines(head);
        out.add(1, name + ": " + value);
        return String.join("\r\n", out);
    }

    private static String flipHex(String hex) {
        char c = hex.charAt(0);
        return (c == '0' ? '1' : '0') + hex.substring(1);
    }
}
