package io.parallelix.node.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** docs/test-vectors/poe-v1.json, read back (the format is written by {@link TestVectorGenerator}). */
record TestVectors(JsonNode root) {
    static final String MIB_FORMULA = "result[i] = i % 251 for i in 0 .. 1048575";
    static final int MIB = 1 << 20;

    /** One case: positive ones have both signatures; negative ones one sig and the check that fails. */
    @SuppressWarnings("ArrayRecordComponent") // test data holder
    record Case(String name, String requestId, byte[] result, String nodeId, byte[] poe, JsonNode json) {
        byte[] sig(String field) {
            return Base64.getDecoder().decode(json.get(field).asText());
        }
    }

    static TestVectors load() {
        return load(RepoFiles.vectors());
    }

    static TestVectors load(Path file) {
        try {
            return new TestVectors(new ObjectMapper().readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    NodeKey key() {
        try {
            return KeyFiles.parsePrivateKey(
                    root.at("/key/private_key_pem").asText().getBytes(StandardCharsets.US_ASCII), null);
        } catch (KeyException e) {
            throw new IllegalStateException(e);
        }
    }

    List<Case> cases() {
        return cases("cases");
    }

    List<Case> negativeCases() {
        return cases("negative_cases");
    }

    private List<Case> cases(String field) {
        List<Case> out = new ArrayList<>();
        for (JsonNode c : root.get(field)) {
            out.add(new Case(
                    c.get("name").asText(),
                    c.get("request_id").asText(),
                    result(c),
                    c.get("node_id").asText(),
                    HexFormat.of().parseHex(c.get("poe").asText()),
                    c));
        }
        return out;
    }

    static byte[] result(JsonNode c) {
        if (c.has("result_b64")) {
            return Base64.getDecoder().decode(c.get("result_b64").asText());
        }
        JsonNode generator = c.get("result_generator");
        if (!generator.get("formula").asText().equals(MIB_FORMULA)) {
            throw new IllegalArgumentException("unknown generator " + generator);
        }
        return mib();
    }

    static byte[] mib() {
        byte[] b = new byte[MIB];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i % 251);
        }
        return b;
    }
}
