package io.parallelix.node.gpu;

import org.jspecify.annotations.Nullable;

/**
 * A model that passed warm-up and canary: what clients see of it, its input checks, the sessions
 * that run it, and for a text model its text path (embedding or generation).
 */
final class LoadedModel implements AutoCloseable {
    private final ModelInfo info;
    private final InputBounds bounds;
    private final InputValidator validator;
    private final InstancePool pool;
    private final RuntimeFingerprint fingerprint;
    private final @Nullable Embedder embedder;
    private final @Nullable Generator generator;

    LoadedModel(
            ModelInfo info,
            InputBounds bounds,
            InstancePool pool,
            RuntimeFingerprint fingerprint,
            @Nullable Embedder embedder,
            @Nullable Generator generator) {
        this.info = info;
        this.embedder = embedder;
        this.generator = generator;
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

    @Nullable
    Embedder embedder() {
        return embedder;
    }

    @Nullable
    Generator generator() {
        return generator;
    }

    /** The same model, marked ready once warm-up, canary and (text models) the probe passed. */
    LoadedModel ready(@Nullable EmbeddingInfo embedding) {
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
                        embedding,
                        generator == null ? null : generator.info()),
                bounds,
                pool,
                fingerprint,
                embedder,
                generator);
    }

    @Override
    public void close() {
        pool.close();
        if (embedder != null) {
            embedder.close();
        }
        if (generator != null) {
            generator.close();
        }
    }
}
