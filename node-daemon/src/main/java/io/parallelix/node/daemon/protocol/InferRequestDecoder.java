package io.parallelix.node.daemon.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import io.parallelix.node.crypto.PoeVersion;
import io.parallelix.node.crypto.RequestIds;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.error.Messages;
import io.parallelix.node.gpu.DataType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Decodes an Open Inference Protocol infer request, JSON or JSON + binary tensor extension, into
 * a {@link DecodedRequest}. Streaming: tensor data goes from JSON tokens (or binary slices of the
 * body, without copying) straight to little-endian bytes. Every problem is a BadRequest naming
 * the field. Stateless and thread-safe.
 */
public final class InferRequestDecoder {
    static final int MAX_INPUTS = 256;
    /** Also bounds the duplicate check below, which is quadratic in the number of outputs. */
    static final int MAX_OUTPUTS = 256;

    static final int MAX_RANK = 16;

    private final JsonFactory json;

    public InferRequestDecoder(JsonFactory json) {
        this.json = json;
    }

    /**
     * @param jsonLength the Inference-Header-Content-Length, or -1 when the whole body is JSON
     */
    public DecodedRequest decode(byte[] body, int jsonLength) {
        if (jsonLength > body.length || jsonLength == 0) {
            throw new ApiException.BadRequest(
                    "Inference-Header-Content-Length",
                    "must be between 1 and the body length " + body.length + ", got " + jsonLength);
        }
        int end = jsonLength < 0 ? body.length : jsonLength;
        PartialRequest.Partial partial;
        try (JsonParser p = json.createParser(body, 0, end)) {
            partial = readRequest(p, body, end);
        } catch (StreamConstraintsException e) {
            throw new ApiException.BadRequest(
                    null, "request JSON exceeds a limit: " + Messages.firstLine(e.getMessage()));
        } catch (StreamReadException e) {
            throw new ApiException.BadRequest(null, "malformed JSON: " + Messages.firstLine(e.getMessage()));
        } catch (IOException e) {
            throw new ApiException.BadRequest(null, "unreadable JSON: " + Messages.firstLine(e.getMessage()));
        }
        try {
            return partial.complete(body, end, jsonLength >= 0);
        } catch (ApiException e) {
            throw partial.id == null ? e : e.withRequestId(partial.id);
        }
    }

    private PartialRequest.Partial readRequest(JsonParser p, byte[] body, int end) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new ApiException.BadRequest(null, "the request body must be a JSON object");
        }
        PartialRequest.Partial r = new PartialRequest.Partial();
        try {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "id" -> r.id = requestId(p);
                    case "inputs" -> readInputs(p, r.inputs, body, end);
                    case "outputs" -> readOutputs(p, r.outputs);
                    case "parameters" -> readParameters(p, r);
                    default -> throw new ApiException.BadRequest(name, "unknown field");
                }
            }
            if (p.nextToken() != null) {
                throw new ApiException.BadRequest(null, "trailing content after the JSON object");
            }
        } catch (ApiException e) {
            throw r.id == null ? e : e.withRequestId(r.id);
        }
        return r;
    }

    private static String requestId(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new ApiException.BadRequest("id", "must be a string");
        }
        try {
            return RequestIds.requireValid(p.getText());
        } catch (IllegalArgumentException e) {
            throw new ApiException.BadRequest("id", String.valueOf(e.getMessage()));
        }
    }

    private void readInputs(JsonParser p, List<PartialRequest.RawInput> inputs, byte[] body, int end)
            throws IOException {
        expect(p, JsonToken.START_ARRAY, "inputs", "must be an array");
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String field = "inputs[" + inputs.size() + "]";
            if (inputs.size() == MAX_INPUTS) {
                throw new ApiException.BadRequest("inputs", "more than " + MAX_INPUTS + " inputs");
            }
            expect(p, JsonToken.START_OBJECT, field, "must be an object");
            inputs.add(readInput(p, field, body, end));
        }
    }

    /** body[0, end) is what {@code p} parses: data seen before its datatype is re-read from there. */
    private PartialRequest.RawInput readInput(JsonParser p, String field, byte[] body, int end) throws IOException {
        PartialRequest.RawInput in = new PartialRequest.RawInput(field);
        long pendingData = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "name" -> in.name = string(p, field + ".name");
                case "datatype" -> in.datatype = datatype(p, field + ".datatype");
                case "shape" -> in.shape = shape(p, field + ".shape");
                case "parameters" -> in.binarySize = inputParameters(p, field + ".parameters");
                case "data" -> {
                    if (in.datatype != null) {
                        in.data = readData(p, in.datatype, field + ".data");
                    } else {
                        // The datatype comes later: skip the value now and parse it again from the
                        // body then. (Buffering its tokens cost ~18 bytes of heap per body byte.)
                        pendingData = p.currentTokenLocation().getByteOffset();
                        if (pendingData < 0) {
                            throw new IllegalStateException("the JSON parser does not report byte offsets");
                        }
                        p.skipChildren();
                    }
                }
                default -> throw new ApiException.BadRequest(field + "." + name, "unknown field");
            }
        }
        if (in.name == null) {
            throw new ApiException.BadRequest(field + ".name", "is required");
        }
        if (in.datatype == null) {
            throw new ApiException.BadRequest(field + ".datatype", "is required");
        }
        if (in.shape == null) {
            throw new ApiException.BadRequest(field + ".shape", "is required");
        }
        if (pendingData >= 0) {
            try (JsonParser replay = json.createParser(body, (int) pendingData, end - (int) pendingData)) {
                replay.nextToken();
                in.data = readData(replay, in.datatype, field + ".data");
            }
        }
        return in;
    }

    private static PartialRequest.Data readData(JsonParser p, DataType type, String field) throws IOException {
        expect(p, JsonToken.START_ARRAY, field, "must be an array");
        LeBuffer out = new LeBuffer(64);
        long count = 0;
        int depth = 1;
        while (depth > 0) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_ARRAY) {
                if (++depth > MAX_RANK) {
                    throw new ApiException.BadRequest(field, "nested deeper than " + MAX_RANK);
                }
            } else if (t == JsonToken.END_ARRAY) {
                depth--;
            } else {
                JsonElements.append(p, type, out, field, count);
                count++;
            }
        }
        return new PartialRequest.Data(out, count);
    }

    private static void readOutputs(JsonParser p, List<String> outputs) throws IOException {
        expect(p, JsonToken.START_ARRAY, "outputs", "must be an array");
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String field = "outputs[" + outputs.size() + "]";
            if (outputs.size() == MAX_OUTPUTS) {
                throw new ApiException.BadRequest("outputs", "more than " + MAX_OUTPUTS + " outputs");
            }
            expect(p, JsonToken.START_OBJECT, field, "must be an object");
            String name = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                switch (key) {
                    case "name" -> name = string(p, field + ".name");
                    case "parameters" -> { // binary_data and friends: the result is always safetensors
                        expect(p, JsonToken.START_OBJECT, field + ".parameters", "must be an object");
                        p.skipChildren();
                    }
                    default -> throw new ApiException.BadRequest(field + "." + key, "unknown field");
                }
            }
            if (name == null) {
                throw new ApiException.BadRequest(field + ".name", "is required");
            }
            if (outputs.contains(name)) {
                throw new ApiException.BadRequest(
                        field + ".name", "output '" + Messages.clip(name) + "' requested twice");
            }
            outputs.add(name);
        }
    }

    private static void readParameters(JsonParser p, PartialRequest.Partial r) throws IOException {
        expect(p, JsonToken.START_OBJECT, "parameters", "must be an object");
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            if (key.equals("model_sha256")) {
                String v = string(p, "parameters.model_sha256");
                if (v.length() != 64 || !isHex(v)) {
                    throw new ApiException.BadRequest("parameters.model_sha256", "must be 64 hex digits");
                }
                r.modelSha256 = v.toLowerCase(java.util.Locale.ROOT);
            } else if (key.equals("poe_version")) {
                r.poeVersion = poeVersion(p);
            } else {
                p.skipChildren(); // OIP allows free-form parameters; unknown ones are ignored
            }
        }
    }

    /** An integer, 1 or 2 (not "2", not 2.0): the PoE layout of the answer. */
    private static PoeVersion poeVersion(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
            Optional<PoeVersion> v = PoeVersion.of(p.getIntValue());
            if (v.isPresent()) {
                return v.get();
            }
        }
        throw new ApiException.BadRequest(
                "parameters.poe_version", "must be " + PoeVersion.known().replace(", ", " or "));
    }

    /** ASCII hex only: Character.digit would also take fullwidth and other scripts' digits. */
    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!HexFormat.isHexDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static long inputParameters(JsonParser p, String field) throws IOException {
        expect(p, JsonToken.START_OBJECT, field, "must be an object");
        long binarySize = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            if (key.equals("binary_data_size")) {
                if (p.currentToken() != JsonToken.VALUE_NUMBER_INT
                        || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        || p.getLongValue() < 0) {
                    throw new ApiException.BadRequest(field + ".binary_data_size", "must be a non-negative integer");
                }
                binarySize = p.getLongValue();
            } else {
                p.skipChildren();
            }
        }
        return binarySize;
    }

    private static List<Long> shape(JsonParser p, String field) throws IOException {
        expect(p, JsonToken.START_ARRAY, field, "must be an array of non-negative integers");
        List<Long> dims = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (dims.size() == MAX_RANK) {
                throw new ApiException.BadRequest(field, "rank above " + MAX_RANK);
            }
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT
                    || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw new ApiException.BadRequest(field + "[" + dims.size() + "]", "must be a non-negative integer");
            }
            long d = p.getLongValue();
            if (d < 0) {
                throw new ApiException.BadRequest(field + "[" + dims.size() + "]", "must be >= 0, got " + d);
            }
            dims.add(d);
        }
        return List.copyOf(dims);
    }

    private static DataType datatype(JsonParser p, String field) throws IOException {
        String name = string(p, field);
        return DataType.fromOipName(name)
                .orElseThrow(
                        () -> new ApiException.BadRequest(field, "unknown datatype '" + Messages.clip(name) + "'"));
    }

    private static String string(JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new ApiException.BadRequest(field, "must be a string");
        }
        return p.getText();
    }

    private static void expect(JsonParser p, JsonToken token, String field, String message) {
        if (p.currentToken() != token) {
            throw new ApiException.BadRequest(field, message);
        }
    }
}
