package io.parallelix.node.gpu;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A model that passed warm-up and canary: what clients see of it, and the sessions that run it. */
final class LoadedModel implements AutoCloseable {
    private final ModelInfo info;
    private final Map<String, TensorSpec> inputs;
    private final List<String> outputNames;
    private final InstancePool pool;
    private final RuntimeFingerprint fingerprint;

    LoadedModel(ModelInfo info, InstancePool pool, RuntimeFingerprint fingerprint) {
        this.info = info;
        this.pool = pool;
        this.fingerprint = fingerprint;
        Map<String, TensorSpec> byName = new LinkedHashMap<>();
        info.inputs().forEach(spec -> byName.put(spec.name(), spec));
        this.inputs = byName;
        this.outputNames = info.outputs().stream().map(TensorSpec::name).toList();
    }

    String name() {
        return info.name();
    }

    ModelInfo info() {
        return info;
    }

    Map<String, TensorSpec> inputs() {
        return inputs;
    }

    List<String> outputNames() {
        return outputNames;
    }

    InstancePool pool() {
        return pool;
    }

    RuntimeFingerprint fingerprint() {
        return fingerprint;
    }

    /** The same model, marked ready once warm-up and canary passed. */
    LoadedModel ready() {
        ModelInfo i = info;
        return new LoadedModel(
                new ModelInfo(
                        i.name(),
                        i.sha256(),
                        i.inputs(),
                        i.outputs(),
                        i.provider(),
                        i.deviceIds(),
                        i.instances(),
                        i.deterministic(),
                        true),
                pool,
                fingerprint);
    }

    @Override
    public void close() {
        pool.close();
    }
}
