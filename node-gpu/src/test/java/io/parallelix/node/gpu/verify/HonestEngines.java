package io.parallelix.node.gpu.verify;

import io.parallelix.node.gpu.CudaOptions;
import io.parallelix.node.gpu.EngineConfig;
import io.parallelix.node.gpu.InferenceEngine;
import io.parallelix.node.gpu.ProviderMode;
import java.nio.file.Path;

/**
 * What the tensor and embedding evidence tests share: one models directory holding a model and
 * its variants (another accumulation order, other weights, 1 % noise, an FP16 copy), and the three
 * honest engines over it (deterministic with 1 and 2 intra-op threads, non-deterministic with 2).
 */
record HonestEngines(InferenceEngine base, InferenceEngine twoThreads, InferenceEngine nonDeterministic)
        implements AutoCloseable {

    /** A writer of one test model, as VerifyModels' writeMlp and writeEncoder are. */
    @FunctionalInterface
    interface Writer {
        Path write(Path modelsDir, String name, long seed, VerifyModels.Weights weights, boolean splitK);
    }

    /** Writes NAME, NAME_splitk, NAME_other, NAME_perturbed and NAME_fp16, then opens the engines. */
    static HonestEngines open(Path models, String name, Writer writer) throws Exception {
        writer.write(models, name, 1, VerifyModels.Weights.honest(), false);
        writer.write(models, name + "_splitk", 1, VerifyModels.Weights.honest(), true);
        writer.write(models, name + "_other", 2, VerifyModels.Weights.honest(), false);
        writer.write(models, name + "_perturbed", 1, VerifyModels.Weights.perturbed(0.01, 7), false);
        writer.write(models, name + "_fp16", 1, VerifyModels.Weights.fp16(), false);
        InferenceEngine base = engine(models, true, 1);
        try {
            InferenceEngine two = engine(models, true, 2);
            try {
                return new HonestEngines(base, two, engine(models, false, 2));
            } catch (Exception e) {
                two.close();
                throw e;
            }
        } catch (Exception e) {
            base.close();
            throw e;
        }
    }

    private static InferenceEngine engine(Path models, boolean deterministic, int threads) throws Exception {
        return InferenceEngine.open(
                new EngineConfig(models, ProviderMode.CPU, CudaOptions.defaults(), deterministic, threads, 0, 1));
    }

    @Override
    public void close() {
        base.close();
        twoThreads.close();
        nonDeterministic.close();
    }
}
