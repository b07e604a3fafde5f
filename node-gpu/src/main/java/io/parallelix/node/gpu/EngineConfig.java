package io.parallelix.node.gpu;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Node-wide engine settings, checked when built. {@code deterministic} is the node default (a
 * model config may turn it on for itself); intraOpThreads 0 means ORT's default, except in
 * deterministic mode where it is fixed. maxConcurrencyPerInstance bounds concurrent runs on one
 * session; 0 sizes it to the machine ({@link RunsPerSession}). tokenizerLibrary is the Hugging Face tokenizers library file (the distribution's
 * lib/native/tokenizers); null means it is extracted from its jar into nativeDir, a directory the
 * node owns. Either is touched only when a model needs a tokenizer.
 */
public record EngineConfig(
        Path modelsDir,
        ProviderMode provider,
        CudaOptions cuda,
        boolean deterministic,
        int intraOpThreads,
        int interOpThreads,
        int maxConcurrencyPerInstance,
        @Nullable Path tokenizerLibrary,
        Path nativeDir) {

    /** Tests' and tools' form: the tokenizers library extracted into {@code <modelsDir>/.native}. */
    public EngineConfig(
            Path modelsDir,
            ProviderMode provider,
            CudaOptions cuda,
            boolean deterministic,
            int intraOpThreads,
            int interOpThreads,
            int maxConcurrencyPerInstance) {
        this(
                modelsDir,
                provider,
                cuda,
                deterministic,
                intraOpThreads,
                interOpThreads,
                maxConcurrencyPerInstance,
                null,
                modelsDir.resolve(".native"));
    }

    public EngineConfig {
        if (maxConcurrencyPerInstance < 0) {
            throw new IllegalArgumentException(
                    "max concurrency per instance must be >= 0 (0 = sized to the machine), got "
                            + maxConcurrencyPerInstance);
        }
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("intra/inter-op thread counts must be >= 0 (0 = ONNX Runtime's"
                    + " default), got " + intraOpThreads + "/" + interOpThreads);
        }
    }
}
