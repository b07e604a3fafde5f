package io.parallelix.node.daemon.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The wire's one JSON configuration, built once by the composition root. Requests are parsed
 * strictly (duplicate keys, depth and number length bounded, no NaN); responses written by this
 * node and read back by verifiers ignore unknown properties so that new meta fields do not break
 * old coordinators.
 */
public final class Json {
    private final JsonMapper mapper;

    public Json(int maxStringBytes) {
        JsonFactory factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(32)
                        .maxNumberLength(64)
                        .maxStringLength(maxStringBytes)
                        .build())
                .build();
        this.mapper = JsonMapper.builder(factory)
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(JsonParser.Feature.ALLOW_COMMENTS)
                .build();
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public JsonFactory factory() {
        return mapper.getFactory();
    }
}
