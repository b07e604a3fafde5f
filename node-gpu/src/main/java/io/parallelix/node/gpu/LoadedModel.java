package io.parallelix.node.gpu;

/** A model that passed warm-up and canary: what clients see of it, its input checks, and the sessions that run it. */
final class LoadedModel implements AutoCloseable {
    private final ModelInfo info;
    private final InputBounds bounds;
    private final InputValidator validator;
    private final InstancePool pool;
    private final RuntimeFingerprint fingerprint;

    LoadedModel(ModelInfo info, InputBounds bounds, InstancePool pool, RuntimeFingerprint fingerprint) {
        this.info = info;
        this.bounds = bounds;
        this.pool = pool;
        this.fingerprint = fingerprint;
        this.validator = new InputValidator(
                info.name(),
                info.inputs(),
                info.outputs().stream().map(TensorSpec::name).toList(),
                bounds);
    }

    String name() {
        return info.name();
    }

    ModelInfo info() {
        return info;
    }

    InputValidator validator() {
        return validator;
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
                        true,
                        i.task(),
                        i.embedding()),
                bounds,
                pool,
                fingerprint);
    }

    @Override
    public void close() {
        pool.close();
    }
}
