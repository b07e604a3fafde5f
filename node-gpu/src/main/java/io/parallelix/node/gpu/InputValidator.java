package io.parallelix.node.gpu;

import io.parallelix.node.gpu.InferenceException.InvalidInput;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a request against the model's inputs, outputs and bounds and reports the first problem,
 * naming the field ("inputs[2].shape") and saying what was expected and what was given. Names the
 * client sent are quoted clipped (Echo).
 */
final class InputValidator {
    private final String model;
    private final Map<String, TensorSpec> inputs;
    private final List<String> outputNames;
    private final InputBounds bounds;

    InputValidator(String model, List<TensorSpec> inputs, List<String> outputNames, InputBounds bounds) {
        this.model = model;
        Map<String, TensorSpec> byName = new LinkedHashMap<>();
        inputs.forEach(spec -> byName.put(spec.name(), spec));
        this.inputs = byName;
        this.outputNames = List.copyOf(outputNames);
        this.bounds = bounds;
    }

    /** The inputs in request order, and the outputs to compute (all of them when none are named). */
    record Checked(List<ValidInput> inputs, List<String> outputs) {}

    Checked check(InferenceRequest request) throws InvalidInput {
        List<ValidInput> valid = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        InputBounds.Tally tally = bounds.tally();
        for (int i = 0; i < request.inputs().size(); i++) {
            InputTensor given = request.inputs().get(i);
            String field = "inputs[" + i + "]";
            TensorSpec spec = inputs.get(given.name());
            if (spec == null) {
                throw new InvalidInput(
                        field + ".name",
                        "model '" + model + "' has no input '" + Echo.clip(given.name()) + "'; its inputs are "
                                + inputs.keySet());
            }
            Integer earlier = seen.put(given.name(), i);
            if (earlier != null) {
                throw new InvalidInput(
                        field + ".name",
                        "input '" + given.name() + "' is given twice (inputs[" + earlier + "] and " + field + ")");
            }
            valid.add(checkOne(field, spec, given, tally));
        }
        for (TensorSpec spec : inputs.values()) {
            if (!seen.containsKey(spec.name())) {
                throw new InvalidInput(
                        "inputs",
                        "missing input '" + spec.name() + "' (" + spec.datatype() + " " + spec.shape() + ") of model '"
                                + model + "'");
            }
        }
        return new Checked(valid, checkOutputs(model, outputNames, request.outputs()));
    }

    private static List<String> checkOutputs(String model, List<String> known, List<String> requested)
            throws InvalidInput {
        if (requested.isEmpty()) {
            return known;
        }
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < requested.size(); i++) {
            String name = requested.get(i);
            if (!known.contains(name)) {
                throw new InvalidInput(
                        "outputs[" + i + "]",
                        "model '" + model + "' has no output '" + Echo.clip(name) + "'; its outputs are " + known);
            }
            if (!out.add(name)) {
                throw new InvalidInput("outputs[" + i + "]", "output '" + name + "' is requested twice");
            }
        }
        return List.copyOf(out);
    }

    private static ValidInput checkOne(String field, TensorSpec spec, InputTensor given, InputBounds.Tally tally)
            throws InvalidInput {
        String name = spec.name();
        if (given.datatype() != spec.datatype()) {
            throw new InvalidInput(
                    field + ".datatype",
                    "input '" + name + "' expects " + spec.datatype() + ", given " + given.datatype());
        }
        List<Long> shape = given.shape();
        checkShape(field, spec, shape);
        long elements = Shapes.elementCount(shape);
        if (elements < 0 || elements > Integer.MAX_VALUE) {
            throw new InvalidInput(
                    field + ".shape",
                    "input '" + name + "' shape " + shape + " has more elements than a tensor may hold (2^31 - 1)");
        }
        tally.add(field, spec, shape); // before the data is read: a bound is cheaper to check than BYTES
        ByteBuffer data = given.data().slice();
        if (spec.datatype() == DataType.BYTES) {
            return bytesInput(field, spec, shape, data, elements);
        }
        long bytes = elements * spec.datatype().byteSize();
        if (data.remaining() != bytes) {
            throw new InvalidInput(
                    field + ".data",
                    "input '" + name + "' " + spec.datatype() + " " + shape + " needs " + bytes + " bytes, given "
                            + data.remaining());
        }
        if (spec.datatype() == DataType.BOOL) {
            for (int k = 0; k < data.remaining(); k++) {
                if ((data.get(k) & 0xFF) > 1) {
                    throw new InvalidInput(
                            field + ".data",
                            "input '" + name + "' BOOL element " + k + " is " + (data.get(k) & 0xFF)
                                    + "; BOOL elements are bytes 0 or 1");
                }
            }
        }
        return new ValidInput(name, spec.datatype(), shape, data, List.of());
    }

    /** Rank, no negative dimension, and every fixed dimension of the model's shape. */
    private static void checkShape(String field, TensorSpec spec, List<Long> shape) throws InvalidInput {
        String name = spec.name();
        if (shape.size() != spec.shape().size()) {
            throw new InvalidInput(
                    field + ".shape",
                    "input '" + name + "' expects rank " + spec.shape().size() + " " + spec.shape() + ", given rank "
                            + shape.size() + " " + shape);
        }
        for (int d = 0; d < shape.size(); d++) {
            long dim = shape.get(d);
            long expected = spec.shape().get(d);
            if (dim < 0) {
                throw new InvalidInput(
                        field + ".shape",
                        "input '" + name + "' dimension " + d + " is " + dim + "; dimensions must be >= 0");
            }
            if (expected >= 0 && dim != expected) {
                throw new InvalidInput(
                        field + ".shape",
                        "input '" + name + "' dimension " + d + " must be " + expected + " (model shape " + spec.shape()
                                + "), given " + dim + " (shape " + shape + ")");
            }
        }
    }

    /** A BYTES input: parsed in the OIP layout, every string one that JNI passes unchanged. */
    private static ValidInput bytesInput(
            String field, TensorSpec spec, List<Long> shape, ByteBuffer data, long elements) throws InvalidInput {
        String name = spec.name();
        String[] strings;
        try {
            strings = BytesLayout.parse(data, elements);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput(field + ".data", "input '" + name + "' BYTES " + shape + ": " + e.getMessage());
        }
        for (int k = 0; k < strings.length; k++) {
            if (!BytesLayout.passesJni(strings[k])) {
                throw new InvalidInput(
                        field + ".data",
                        "input '" + name + "' BYTES element " + k + " contains"
                                + " U+0000 or a character above U+FFFF, which ONNX Runtime's Java API cannot hand to the"
                                + " model unchanged (JNI's modified UTF-8)");
            }
        }
        return new ValidInput(name, spec.datatype(), shape, data, List.of(strings));
    }
}
