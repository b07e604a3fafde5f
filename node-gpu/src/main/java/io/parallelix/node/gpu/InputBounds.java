package io.parallelix.node.gpu;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.TensorInfo;
import io.parallelix.node.gpu.InferenceException.InvalidInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's bounds on request shapes: what its graph declares, and its {@link InputLimits}. Inputs
 * that share a symbolic dimension name must agree on it (ONNX: one name, one value; MiniLM's three
 * inputs are all [batch_size, sequence_length]), and batch, sequence and element counts stay within
 * the limits. Fixed dimensions are InputValidator's. One Tally per request, fed the inputs in
 * request order, so the first problem names its input.
 */
final class InputBounds {
    private final String model;
    private final Map<String, List<String>> dimNames;
    private final InputLimits limits;

    /** dimNames: per input, each dimension's symbolic name ("" where the graph gives none). */
    InputBounds(String model, Map<String, List<String>> dimNames, InputLimits limits) {
        this.model = model;
        this.dimNames = Map.copyOf(dimNames);
        this.limits = limits;
    }

    /** ORT's input metadata keeps the graph's dim_param names (TensorInfo.getDimensionNames). */
    static InputBounds of(String model, Map<String, NodeInfo> inputs, InputLimits limits) {
        Map<String, List<String>> names = new HashMap<>();
        for (NodeInfo node : inputs.values()) {
            if (node.getInfo() instanceof TensorInfo info) {
                names.put(node.getName(), Arrays.asList(info.getDimensionNames()));
            }
        }
        return new InputBounds(model, names, limits);
    }

    Tally tally() {
        return new Tally();
    }

    /** Where a symbolic dimension was first seen in a request. */
    private record Seen(String input, long value) {}

    final class Tally {
        private final Map<String, Seen> named = new HashMap<>();
        private long total;

        private Tally() {}

        /** shape has the spec's rank, fixed dimensions as declared, every dimension >= 0, < 2^31 elements. */
        void add(String field, TensorSpec spec, List<Long> shape) throws InvalidInput {
            String input = spec.name();
            List<String> names = dimNames.getOrDefault(input, List.of());
            for (int d = 0; d < shape.size(); d++) {
                if (spec.shape().get(d) >= 0) {
                    continue;
                }
                long dim = shape.get(d);
                bound(field, input, d, dim, d == 0 ? limits.maxBatch() : d == 1 ? limits.maxSequence() : 0);
                String symbol = d < names.size() ? String.valueOf(names.get(d)) : "";
                if (symbol.isEmpty()) {
                    continue;
                }
                Seen first = named.putIfAbsent(symbol, new Seen(input, dim));
                if (first != null && first.value() != dim) {
                    throw new InvalidInput(
                            field + ".shape",
                            "input '" + input + "' dimension " + d + " (" + symbol + ") is " + dim + ", but input '"
                                    + first.input() + "' has " + symbol + " " + first.value() + "; inputs of model '"
                                    + model + "' that share a dimension name must agree on it");
                }
            }
            long elements = Shapes.elementCount(shape);
            if (elements > limits.maxElementsPerInput()) {
                throw new InvalidInput(
                        field + ".shape",
                        "input '" + input + "' " + shape + " has " + elements + " elements; model '" + model
                                + "' takes at most " + limits.maxElementsPerInput()
                                + " per input (limits.max_elements_per_input)");
            }
            total += elements;
            if (total > limits.maxTotalElements()) {
                throw new InvalidInput(
                        field + ".shape",
                        "input '" + input + "' " + shape + " brings the request to " + total + " elements; model '"
                                + model + "' takes at most " + limits.maxTotalElements()
                                + " over all inputs (limits.max_total_elements)");
            }
        }

        private void bound(String field, String input, int d, long dim, long max) throws InvalidInput {
            if (max > 0 && dim > max) {
                String what = d == 0 ? "batch" : "sequence";
                throw new InvalidInput(
                        field + ".shape",
                        "input '" + input + "' dimension " + d + " (" + what + ") is " + dim + "; model '" + model
                                + "' takes at most " + max + " (limits.max_" + what + ")");
            }
        }
    }

    /** For the load log: "limits: batch<=16 sequence<=512 elements<=4194304/input, 4194304/request". */
    String describe() {
        List<String> parts = new ArrayList<>();
        if (limits.maxBatch() > 0) {
            parts.add("batch<=" + limits.maxBatch());
        }
        if (limits.maxSequence() > 0) {
            parts.add("sequence<=" + limits.maxSequence());
        }
        parts.add("elements<=" + limits.maxElementsPerInput() + "/input, " + limits.maxTotalElements() + "/request");
        return "limits: " + String.join(" ", parts);
    }
}
