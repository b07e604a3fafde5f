package io.parallelix.node.gpu;

import io.parallelix.node.gpu.Safetensors.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares a canary result (decoded with the strict reader, so the canary also proves the
 * encoding round-trips) with the expected values from config.yaml.
 */
final class CanaryCheck {
    private static final Pattern DIM = Pattern.compile("\\d+");

    private CanaryCheck() {}

    /** The first mismatch, described; empty when every expected output matches. */
    static Optional<String> compare(List<ModelConfig.Expected> expected, byte[] result) {
        Safetensors.File file = Safetensors.decode(result);
        for (ModelConfig.Expected exp : expected) {
            Optional<Tensor> found = file.tensors().stream()
                    .filter(t -> t.name().equals(exp.name()))
                    .findFirst();
            if (found.isEmpty()) {
                return Optional.of("canary output '" + exp.name() + "' is not among the outputs "
                        + file.tensors().stream().map(Tensor::name).toList());
            }
            Tensor t = found.get();
            String bytesShape = file.metadata().get(CanonicalTensors.bytesShapeKey(t.name()));
            List<Long> shape = bytesShape == null ? t.shape() : parseShape(bytesShape);
            if (exp.shape() != null && !exp.shape().equals(shape)) {
                return Optional.of(
                        "canary output '" + exp.name() + "' has shape " + shape + ", expected " + exp.shape());
            }
            Optional<String> problem = bytesShape == null
                    ? numbers(exp, ConfigValues.toDoubles(t.dtype(), t.data()))
                    : strings(exp, List.of(BytesLayout.parse(t.data(), Shapes.elementCount(shape))));
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> numbers(ModelConfig.Expected exp, List<Double> actual) {
        if (!exp.strings().isEmpty() || actual.size() != exp.numbers().size()) {
            return Optional.of("canary output '" + exp.name() + "' has " + actual.size() + " numeric values, expected "
                    + (exp.strings().isEmpty()
                            ? exp.numbers().size() + " numbers"
                            : exp.strings().size() + " strings"));
        }
        for (int i = 0; i < actual.size(); i++) {
            double a = actual.get(i);
            double e = exp.numbers().get(i);
            boolean same = (Double.isNaN(a) && Double.isNaN(e)) || a == e || Math.abs(a - e) <= exp.tolerance();
            if (!same) {
                return Optional.of("canary output '" + exp.name() + "' element " + i + " is " + a + ", expected " + e
                        + " (tolerance " + exp.tolerance() + ")");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> strings(ModelConfig.Expected exp, List<String> actual) {
        if (!actual.equals(exp.strings())) {
            return Optional.of("canary output '" + exp.name() + "' is " + actual + ", expected " + exp.strings());
        }
        return Optional.empty();
    }

    private static List<Long> parseShape(String text) {
        List<Long> shape = new ArrayList<>();
        Matcher dims = DIM.matcher(text);
        while (dims.find()) {
            shape.add(Long.parseLong(dims.group()));
        }
        return shape;
    }
}
