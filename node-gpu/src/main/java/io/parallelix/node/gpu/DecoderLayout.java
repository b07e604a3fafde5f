package io.parallelix.node.gpu;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How a decoder-only graph with a key/value cache is fed, read from the graph's own names and
 * shapes (Hugging Face Optimum's text-generation-with-past layout), never from a list of known
 * architectures: inputs {@code input_ids}, optional {@code attention_mask} and
 * {@code position_ids}, {@code past_key_values.{i}.key|value} [batch, kv_heads, past, head_dim];
 * outputs {@code logits} [batch, sequence, vocab] (FP32, or FP16 as onnxruntime-genai's builder
 * exports some models) and {@code present.{i}.key|value}. kv_heads and
 * head_dim must be fixed in the graph (fewer kv heads than attention heads is grouped-query
 * attention, which needs nothing else here); the cache is FP32 or FP16. A graph that does not fit
 * is refused with what is missing or extra.
 */
record DecoderLayout(
        int layers,
        int kvHeads,
        int headDim,
        DataType kvType,
        boolean attentionMask,
        boolean positionIds,
        long vocab,
        DataType logitsType) {

    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String POSITION_IDS = "position_ids";
    static final String LOGITS = "logits";
    private static final Pattern PAST = Pattern.compile("past_key_values\\.(\\d+)\\.(key|value)");
    private static final Pattern PRESENT = Pattern.compile("present\\.(\\d+)\\.(key|value)");

    static String pastName(int layer, String kind) {
        return "past_key_values." + layer + "." + kind;
    }

    static String presentName(int layer, String kind) {
        return "present." + layer + "." + kind;
    }

    static DecoderLayout of(String model, List<TensorSpec> inputs, List<TensorSpec> outputs) throws EngineException {
        Map<String, TensorSpec> in = byName(inputs);
        Map<String, TensorSpec> out = byName(outputs);
        List<String> problems = new ArrayList<>();
        TensorSpec ids = in.get(INPUT_IDS);
        if (ids == null || ids.datatype() != DataType.INT64 || ids.shape().size() != 2) {
            problems.add("input 'input_ids' INT64 [batch, sequence]");
        }
        for (String optional : List.of(ATTENTION_MASK, POSITION_IDS)) {
            TensorSpec t = in.get(optional);
            if (t != null && (t.datatype() != DataType.INT64 || t.shape().size() != 2)) {
                problems.add(
                        "input '" + optional + "' as INT64 [batch, length] (it is " + t.datatype() + t.shape() + ")");
            }
        }
        int layers = layers(in, PAST, problems, "input");
        TensorSpec logits = out.get(LOGITS);
        if (logits == null
                || (logits.datatype() != DataType.FP32 && logits.datatype() != DataType.FP16)
                || logits.shape().size() != 3) {
            problems.add("output 'logits' FP32 or FP16 [batch, sequence, vocab]");
        }
        int presentLayers = layers(out, PRESENT, problems, "output");
        if (layers == 0) {
            problems.add("inputs past_key_values.{i}.key|value (a graph exported with its cache)");
        } else if (presentLayers != layers) {
            problems.add("as many present.{i} outputs as past_key_values.{i} inputs (" + presentLayers + " vs " + layers
                    + ")");
        }
        for (TensorSpec t : inputs) {
            if (!t.name().equals(INPUT_IDS)
                    && !t.name().equals(ATTENTION_MASK)
                    && !t.name().equals(POSITION_IDS)
                    && !PAST.matcher(t.name()).matches()) {
                problems.add("no input '" + Echo.clip(t.name()) + "' (the node feeds only input_ids, attention_mask,"
                        + " position_ids and past_key_values.*)");
            }
        }
        Cache cache = problems.isEmpty() ? cache(in, out, layers, problems) : null;
        if (!problems.isEmpty() || cache == null) {
            throw new EngineException("model '" + model + "' is not a decoder the node can run with a cache: it needs "
                    + String.join("; ", problems) + ". Fix: export it with Optimum's text-generation-with-past task"
                    + " (or onnxruntime-genai's builder), or serve it as task: tensor.");
        }
        long vocab = Objects.requireNonNull(logits).shape().get(2);
        return new DecoderLayout(
                layers,
                cache.kvHeads,
                cache.headDim,
                cache.type,
                in.containsKey(ATTENTION_MASK),
                in.containsKey(POSITION_IDS),
                vocab,
                logits.datatype());
    }

    private record Cache(int kvHeads, int headDim, DataType type) {}

    /** Layers 0..n-1 each with a key and a value; gaps and strays are problems. */
    private static int layers(Map<String, TensorSpec> specs, Pattern pattern, List<String> problems, String what) {
        Map<Integer, Integer> kinds = new HashMap<>();
        for (String name : specs.keySet()) {
            Matcher m = pattern.matcher(name);
            if (m.matches()) {
                kinds.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
            }
        }
        for (int i = 0; i < kinds.size(); i++) {
            if (kinds.getOrDefault(i, 0) != 2) {
                problems.add(what + "s for layer " + i + " (key and value; layers numbered from 0 without gaps)");
                return kinds.size();
            }
        }
        return kinds.size();
    }

    /** Every past and present tensor [batch, kv_heads, length, head_dim] with one fixed kv_heads, head_dim, type. */
    private static @Nullable Cache cache(
            Map<String, TensorSpec> in, Map<String, TensorSpec> out, int layers, List<String> problems) {
        TensorSpec first = Objects.requireNonNull(in.get(pastName(0, "key"))); // layers >= 1, checked
        long heads = first.shape().size() == 4 ? first.shape().get(1) : -1;
        long dim = first.shape().size() == 4 ? first.shape().get(3) : -1;
        DataType type = first.datatype();
        if (heads <= 0 || dim <= 0) {
            problems.add(
                    "past_key_values.0.key [batch, kv_heads, past, head_dim] with kv_heads and head_dim fixed (it is "
                            + first.shape() + ")");
            return null;
        }
        if (type != DataType.FP32 && type != DataType.FP16) {
            problems.add("a FP32 or FP16 cache (it is " + type + ")");
            return null;
        }
        for (int i = 0; i < layers; i++) {
            for (String kind : List.of("key", "value")) {
                TensorSpec past = Objects.requireNonNull(in.get(pastName(i, kind)));
                TensorSpec present = Objects.requireNonNull(out.get(presentName(i, kind)));
                for (TensorSpec t : new TensorSpec[] {past, present}) {
                    List<Long> s = t.shape();
                    if (t.datatype() != type || s.size() != 4 || s.get(1) != heads || s.get(3) != dim) {
                        problems.add("'" + t.name() + "' as " + type + " [batch, " + heads + ", length, " + dim
                                + "] like past_key_values.0.key (it is " + t.datatype() + s + ")");
                        return null;
                    }
                }
            }
        }
        return new Cache((int) heads, (int) dim, type);
    }

    private static Map<String, TensorSpec> byName(List<TensorSpec> specs) {
        Map<String, TensorSpec> m = new HashMap<>();
        specs.forEach(s -> m.put(s.name(), s));
        return m;
    }
}
