package io.parallelix.node.daemon.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.crypto.SignedHeaders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One whole HTTP/1.1 answer as the pipeline wrote it: status, headers (lowercase names), body. */
@SuppressWarnings("ArrayRecordComponent") // test data holder
record Answer(String text, int status, Map<String, List<String>> headers, byte[] body) {
    /** The bodies these tests read are ASCII JSON, so the text is the bytes. */
    static Answer parse(String raw) {
        int end = raw.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new AssertionError("no whole answer in: " + raw);
        }
        String head = raw.substring(0, end + 4);
        int status = Integer.parseInt(head.substring(9, 12));
        return new Answer(
                raw, status, SignedHeaders.parse(head), raw.substring(end + 4).getBytes(StandardCharsets.UTF_8));
    }

    @Nullable
    String header(String lowercaseName) {
        List<String> v = headers.get(lowercaseName);
        return v == null ? null : v.get(0);
    }

    JsonNode json() {
        try {
            return new ObjectMapper().readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(text, e);
        }
    }
}
