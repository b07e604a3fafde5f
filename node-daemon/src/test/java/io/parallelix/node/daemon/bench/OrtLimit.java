package io.parallelix.node.daemon.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.Result;
import ai.onnxruntime.OrtSession.SessionOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;

/**
 * The limit: the model called through ONNX Runtime Java directly, with the session options the
 * engine uses (node-gpu SessionFactory: sequential execution, deterministic compute and intra-op
 * threads as configured) and the engine's bound on concurrent runs (max_concurrency_per_instance
 * permits on one session). Inputs are built once, outputs are not read: nothing but the run.
 * With signing, each call then makes one PS256/RS256 signature over as many bytes as the node's
 * canonical result plus its PoE, with a fresh Signature and the key converted once into the
 * provider's own class, as the node's ResultSigner does, but outside the run permit (so signing
 * overlaps the next run) and without PoE hashing or verify-after-sign.
 *
 * <p>With {@link #UNBOUNDED} run permits and an explicit intra-op thread count, the same class is
 * a candidate of the best configuration ({@link BestLimit}): ORT's settings, not the node's.
 */
final class OrtLimit implements AutoCloseable {
    private static final PSSParameterSpec PS256 =
            new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, PSSParameterSpec.TRAILER_FIELD_BC);

    /** Run permits: none, any number of callers run on the session at once. */
    static final int UNBOUNDED = 0;

    /** The run permits the node gives one CPU session under these settings (node-gpu RunsPerSession). */
    static int nodePermits(io.parallelix.node.daemon.config.NodeConfig.Engine e) {
        int intra = e.deterministic() && e.intraOpThreads() == 0 ? 1 : e.intraOpThreads();
        return io.parallelix.node.gpu.RunsPerSession.cpu(
                e.maxConcurrencyPerInstance(), intra, Runtime.getRuntime().availableProcessors());
    }

    private final OrtSession session;
    private final @Nullable Semaphore permits;
    private final List<Map<String, OnnxTensor>> inputs = new ArrayList<>();
    private final Provider provider;
    private final PrivateKey key;
    private final String sigAlg;
    private final byte[] message;

    /**
     * @param workload its inputs are built once per client thread; null: the caller brings inputs
     * @param threads one set of input tensors per client thread
     * @param intraOpThreads 0: ORT's default (1 when deterministic, as the engine does)
     * @param runPermits concurrent runs allowed on the session, or {@link #UNBOUNDED}
     * @param messageBytes bytes signed per call: canonical result + 32 (PoE)
     */
    OrtLimit(
            Path model,
            @Nullable Workload workload,
            int threads,
            boolean deterministic,
            int intraOpThreads,
            int interOpThreads,
            int runPermits,
            String cryptoProvider,
            String sigAlg,
            PrivateKey key,
            int messageBytes)
            throws OrtException, GeneralSecurityException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        this.session = session(env, model, deterministic, intraOpThreads, interOpThreads);
        this.permits = runPermits == UNBOUNDED ? null : new Semaphore(runPermits, true);
        for (int t = 0; workload != null && t < threads; t++) {
            inputs.add(workload.ortInputs(env));
        }
        this.provider = cryptoProvider.equals("accp") ? accp() : Security.getProvider("SunRsaSign");
        this.key = (PrivateKey) KeyFactory.getInstance("RSA", provider).translateKey(key);
        this.sigAlg = sigAlg;
        this.message = new byte[messageBytes];
        new java.util.Random(1).nextBytes(message);
    }

    /** One ORT run under a permit. */
    void run(int thread) throws OrtException, InterruptedException {
        run(inputs.get(thread));
    }

    /** One ORT run under a permit, on inputs the caller built (and closes). */
    void run(Map<String, OnnxTensor> in) throws OrtException, InterruptedException {
        if (permits == null) {
            runNow(in);
            return;
        }
        permits.acquire();
        try {
            runNow(in);
        } finally {
            permits.release();
        }
    }

    private void runNow(Map<String, OnnxTensor> in) throws OrtException {
        try (Result r = session.run(in)) {
            if (r.size() == 0) {
                throw new IllegalStateException("no output");
            }
        }
    }

    /** One signature as the node makes it, without PoE and verify-after-sign. */
    byte[] sign() throws GeneralSecurityException {
        Signature s;
        if (sigAlg.equals("PS256")) {
            s = Signature.getInstance("RSASSA-PSS", provider);
            s.setParameter(PS256);
        } else {
            s = Signature.getInstance("SHA256withRSA", provider);
        }
        s.initSign(key);
        s.update(message);
        return s.sign();
    }

    /** The private half of an unencrypted PKCS#8 PEM file (node-crypto keeps NodeKey's private). */
    static PrivateKey readPkcs8(Path file) throws java.io.IOException, GeneralSecurityException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII)
                .replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }

    /**
     * The fastest signing provider that loads here: ACCP when it loads and passes its self-check
     * (RSA-3072 PS256: about 1 ms CPU per signature against 3 ms for the JDK, CryptoBenchmark),
     * else the JDK. Preferred, not measured at start: the choice stays the same from run to run.
     */
    static String fastestProvider() {
        try {
            Provider p = accp();
            p.getClass().getMethod("assertHealthy").invoke(p);
            return "accp";
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return "jdk";
        }
    }

    static Provider accp() {
        try {
            return (Provider) Class.forName("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider")
                    .getField("INSTANCE")
                    .get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("ACCP is not on the class path", e);
        }
    }

    @Override
    public void close() throws OrtException {
        for (Map<String, OnnxTensor> set : inputs) {
            set.values().forEach(OnnxTensor::close);
        }
        session.close();
    }

    /** A session under the node's own settings (SessionFactory's rules: deterministic means 1 thread when unset). */
    static OrtSession session(
            OrtEnvironment env, java.nio.file.Path model, boolean deterministic, int intraOpThreads, int interOpThreads)
            throws OrtException {
        try (SessionOptions options = new SessionOptions()) {
            options.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
            if (deterministic) {
                options.setDeterministicCompute(true);
            }
            int intra = deterministic && intraOpThreads == 0 ? 1 : intraOpThreads;
            if (intra > 0) {
                options.setIntraOpNumThreads(intra);
            }
            if (interOpThreads > 0) {
                options.setInterOpNumThreads(interOpThreads);
            }
            return env.createSession(model.toString(), options);
        }
    }
}
