package io.parallelix.node.daemon.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.error.Messages;
import io.parallelix.node.gpu.EmbeddingInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Decodes a POST /v1/embeddings body (OpenAI's request, plus TEI's {@code truncate}) into an
 * {@link EmbeddingsRequest}, on a worker. {@code input}: a string, an array of strings, an array
 * of token ids, or an array of such arrays; never empty, never mixed, within {@link
 * EmbeddingsLimits}. Every problem is a BadRequest naming the field and carrying the request id.
 * Unknown fields are refused, as OpenAI's API does. Stateless and thread-safe.
 */
public final class EmbeddingsDecoder {
    private final JsonFactory json;
    private final EmbeddingsLimits limits;

    public EmbeddingsDecoder(JsonFactory json, EmbeddingsLimits limits) {
        this.json = json;
        this.limits = limits;
    }

    /** {@code model} is the one {@link ModelPeek} read from the same body. */
    public EmbeddingsRequest decode(byte[] body, String requestId, String model) {
        Fields f = new Fields();
        try (JsonParser p = json.createParser(body)) {
            new EmbeddingsReader(p, limits, f).read(model);
            if (f.inputs.isEmpty()) {
                throw new ApiException.BadRequest("input", "is required");
            }
            return new EmbeddingsRequest(requestId, model, f.inputs, f.single, f.encoding, f.dimensions, f.truncate);
        } catch (ApiException e) {
            throw e.withRequestId(requestId);
        } catch (StreamConstraintsException e) {
            throw bad(f.at, "exceeds a limit: " + Messages.firstLine(e.getOriginalMessage()), requestId);
        } catch (StreamReadException e) {
            String why = Messages.firstLine(e.getOriginalMessage());
            throw bad(f.at, why.contains("UTF-8") ? "is not valid UTF-8: " + why : "malformed JSON: " + why, requestId);
        } catch (IOException e) {
            throw bad(f.at, "unreadable JSON: " + Messages.firstLine(e.getMessage()), requestId);
        }
    }

    private static ApiException bad(@Nullable String field, String detail, String requestId) {
        return new ApiException.BadRequest(field, detail).withRequestId(requestId);
    }

    /** What the reader found so far, and where it is (for errors the JSON parser raises). */
    static final class Fields {
        final List<EmbeddingInput> inputs = new ArrayList<>();
        boolean single;
        EmbeddingsRequest.Encoding encoding = EmbeddingsRequest.Encoding.FLOAT;
        int dimensions;
        boolean truncate;

        @Nullable
        String at;
    }

    /** Reads one body's tokens into its {@link Fields}, counting against the limits as it goes. */
    private static final class EmbeddingsReader {
        private final JsonParser p;
        private final EmbeddingsLimits limits;
        private final Fields f;

        EmbeddingsReader(JsonParser p, EmbeddingsLimits limits, Fields f) {
            this.p = p;
            this.limits = limits;
            this.f = f;
        }

        void read(String model) throws IOException {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new ApiException.BadRequest(null, "the request body must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                f.at = name;
                JsonToken t = p.nextToken();
                switch (name) {
                    case "input" -> new InputReader(p, limits, f).read();
                    case "model" -> {
                        if (t != JsonToken.VALUE_STRING || !p.getText().equals(model)) {
                            throw new IllegalStateException("ModelPeek and the decoder read different models");
                        }
                    }
                    case "encoding_format" -> f.encoding = encoding(t);
                    case "dimensions" -> f.dimensions = dimensions(t);
                    case "user" -> {
                        if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NULL) {
                            throw new ApiException.BadRequest("user", "must be a string");
                        }
                    }
                    case "truncate" -> {
                        if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE && t != JsonToken.VALUE_NULL) {
                            throw new ApiException.BadRequest("truncate", "must be true or false");
                        }
                        f.truncate = t == JsonToken.VALUE_TRUE;
                    }
                    default ->
                        throw new ApiException.BadRequest(
                                name,
                                "unknown field; /v1/embeddings takes input, model, encoding_format, dimensions,"
                                        + " user and truncate");
                }
            }
            f.at = null;
            if (p.nextToken() != null) {
                throw new ApiException.BadRequest(null, "trailing content after the JSON object");
            }
        }

        private EmbeddingsRequest.Encoding encoding(JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_NULL) {
                return EmbeddingsRequest.Encoding.FLOAT;
            }
            String v = t == JsonToken.VALUE_STRING ? p.getText() : "";
            return switch (v) {
                case "float" -> EmbeddingsRequest.Encoding.FLOAT;
                case "base64" -> EmbeddingsRequest.Encoding.BASE64;
                default -> throw new ApiException.BadRequest("encoding_format", "must be \"float\" or \"base64\"");
            };
        }

        private int dimensions(JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_NULL) {
                return 0;
            }
            if (t != JsonToken.VALUE_NUMBER_INT
                    || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    || p.getLongValue() < 1
                    || p.getLongValue() > Integer.MAX_VALUE) {
                throw new ApiException.BadRequest("dimensions", "must be an integer >= 1");
            }
            return p.getIntValue();
        }
    }
}
