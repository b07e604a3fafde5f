package io.parallelix.node.daemon.protocol;

import io.parallelix.node.crypto.PoeVersion;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.gpu.DataType;
import io.parallelix.node.gpu.InputTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An OIP request's JSON part as {@link InferRequestDecoder} read it, field by field; {@link
 * Partial#complete} checks what needs the whole request (required fields, data against shape) and
 * attaches the binary sections that follow the JSON.
 */
final class PartialRequest {
    private PartialRequest() {}

    /** An input's JSON data as little-endian bytes, and how many elements it held. */
    record Data(LeBuffer bytes, long count) {}

    /** One input as read, before its data length is checked against its shape. */
    static final class RawInput {
        final String field;

        @Nullable
        String name;

        @Nullable
        DataType datatype;

        @Nullable
        List<Long> shape;

        @Nullable
        Data data;

        long binarySize = -1;

        RawInput(String field) {
            this.field = field;
        }
    }

    /** The JSON part as read; completing it checks sizes and attaches binary sections. */
    static final class Partial {
        @Nullable
        String id;

        final List<RawInput> inputs = new ArrayList<>();
        final List<String> outputs = new ArrayList<>();

        @Nullable
        String modelSha256;

        @Nullable
        PoeVersion poeVersion;

        DecodedRequest complete(byte[] body, int binaryStart, boolean binaryExtension) {
            if (id == null) {
                throw new ApiException.BadRequest("id", "is required");
            }
            if (inputs.isEmpty()) {
                throw new ApiException.BadRequest("inputs", "at least one input is required");
            }
            List<InputTensor> tensors = new ArrayList<>(inputs.size());
            int offset = binaryStart;
            for (RawInput in : inputs) {
                String name = java.util.Objects.requireNonNull(in.name);
                DataType type = java.util.Objects.requireNonNull(in.datatype);
                List<Long> shape = java.util.Objects.requireNonNull(in.shape);
                long elements = ShapeLimits.elementCount(shape, in.field + ".shape");
                ByteBuffer bytes;
                if (in.binarySize >= 0) {
                    if (in.data != null) {
                        throw new ApiException.BadRequest(in.field, "has both data and binary_data_size");
                    }
                    if (!binaryExtension) {
                        throw new ApiException.BadRequest(
                                in.field + ".parameters.binary_data_size",
                                "binary data needs the Inference-Header-Content-Length header");
                    }
                    if (in.binarySize > body.length - offset) {
                        throw new ApiException.BadRequest(
                                in.field + ".parameters.binary_data_size",
                                in.binarySize + " bytes declared, " + (body.length - offset) + " left in the body");
                    }
                    if (type != DataType.BYTES && in.binarySize != elements * type.byteSize()) {
                        throw new ApiException.BadRequest(
                                in.field + ".parameters.binary_data_size",
                                "shape " + shape + " of " + type + " needs " + elements * type.byteSize()
                                        + " bytes, got " + in.binarySize);
                    }
                    bytes = ByteBuffer.wrap(body, offset, (int) in.binarySize)
                            .slice()
                            .order(ByteOrder.LITTLE_ENDIAN)
                            .asReadOnlyBuffer();
                    offset += (int) in.binarySize;
                } else {
                    if (in.data == null) {
                        throw new ApiException.BadRequest(in.field + ".data", "is required");
                    }
                    if (in.data.count() != elements) {
                        throw new ApiException.BadRequest(
                                in.field + ".data",
                                "shape " + shape + " needs " + elements + " elements, got " + in.data.count());
                    }
                    bytes = in.data.bytes().view();
                }
                tensors.add(new InputTensor(name, type, shape, bytes));
            }
            if (offset != body.length) {
                throw new ApiException.BadRequest(
                        "binary_data", (body.length - offset) + " bytes left over after the last binary input");
            }
            return new DecodedRequest(id, tensors, outputs, modelSha256, poeVersion);
        }
    }
}
