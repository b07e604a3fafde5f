package io.parallelix.node.daemon.config;

import io.parallelix.node.crypto.CryptoProvider;
import io.parallelix.node.crypto.SigAlg;
import io.parallelix.node.gpu.CudaOptions;
import io.parallelix.node.gpu.ProviderMode;
import io.parallelix.node.gpu.verify.EmbeddingPolicy;
import io.parallelix.node.gpu.verify.GenerationPolicy;
import io.parallelix.node.gpu.verify.TensorPolicy;
import io.parallelix.node.gpu.verify.VerifyPolicy;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The node's effective configuration: defaults (node-daemon/src/main/resources/pxnode-defaults.yaml,
 * every key documented in config/node.example.yaml), then the config file, then PXNODE_* variables,
 * then flags. Each record validates itself; messages name the key.
 */
public record NodeConfig(
        String listen, Path dataDir, Key key, Engine engine, Server server, Verification verification) {
    /** The key's name in data_dir when key.file is not set (data_dir's default: pxnode-defaults.yaml). */
    public static final String KEY_FILE_NAME = "node-key.pem";

    public NodeConfig {
        HostPort.parse(required("listen", listen)); // validates
        required("data_dir", dataDir);
        required("key", key);
        required("engine", engine);
        required("server", server);
        required("verification", verification);
    }

    public HostPort listenAddress() {
        return HostPort.parse(listen);
    }

    /** The node's private key: the one place that says where it is when no path is given. */
    public Path keyFile() {
        return key.file() != null ? key.file() : dataDir.resolve(KEY_FILE_NAME);
    }

    public Path modelsDir() {
        return engine.modelsDir() != null ? engine.modelsDir() : dataDir.resolve("models");
    }

    /**
     * The private key. The passphrase never lives in the config: it comes from a file or a
     * systemd credential (LoadCredential=, read from $CREDENTIALS_DIRECTORY).
     */
    public record Key(
            @Nullable Path file,
            boolean generate,
            int bits,
            @Nullable Path passphraseFile,
            @Nullable String passphraseCredential,
            SigAlg sigAlg,
            String cryptoProvider) {
        public Key {
            required("key.sig_alg", sigAlg);
            required("key.crypto_provider", cryptoProvider);
            if (bits < 2048 || bits > 16384) {
                throw new IllegalArgumentException("key.bits must be between 2048 and 16384, got " + bits);
            }
            if (passphraseFile != null && passphraseCredential != null) {
                throw new IllegalArgumentException("set key.passphrase_file or key.passphrase_credential, not both");
            }
            CryptoProvider.fromConfig(cryptoProvider);
        }

        public CryptoProvider provider() {
            return CryptoProvider.fromConfig(cryptoProvider);
        }
    }

    public record Engine(
            @Nullable Path modelsDir,
            boolean defaultModel,
            String provider,
            boolean deterministic,
            int intraOpThreads,
            int interOpThreads,
            int maxConcurrencyPerInstance,
            CudaOptions cuda) {
        public Engine {
            ProviderMode.fromConfig(required("engine.provider", provider));
            required("engine.cuda", cuda); // CudaOptions checks its own values, naming each key
            nonNegative("engine.intra_op_threads", intraOpThreads);
            nonNegative("engine.inter_op_threads", interOpThreads);
            nonNegative("engine.max_concurrency_per_instance", maxConcurrencyPerInstance);
        }

        public ProviderMode providerMode() {
            return ProviderMode.fromConfig(provider);
        }
    }

    public record Server(
            int ioThreads,
            int workers,
            int maxBodyBytes,
            int maxHeaderBytes,
            int maxConnections,
            int maxHandshakes,
            long maxBodyBytesInFlight,
            int queueCapacity,
            Duration requestTimeout,
            Duration generationTimeout,
            Duration inlineMax,
            Duration idleSpin,
            Duration readTimeout,
            Duration handshakeTimeout,
            Duration idleTimeout,
            Duration writeTimeout,
            Duration drainTimeout,
            @Nullable String adminListen,
            Duration replayWindow,
            int replayCapacity,
            int maxEmbeddingInputs,
            long maxEmbeddingChars,
            long maxEmbeddingTokenIds,
            int maxGenerationChoices,
            long maxGenerationChars,
            int maxGenerationTokenIds,
            int maxChatMessages,
            Tls tls) {
        public Server {
            nonNegative("server.io_threads", ioThreads);
            nonNegative("server.workers", workers);
            positive("server.max_body_bytes", maxBodyBytes);
            if (maxHeaderBytes < 1024) {
                throw new IllegalArgumentException("server.max_header_bytes must be >= 1024, got " + maxHeaderBytes);
            }
            positive("server.max_connections", maxConnections);
            positive("server.max_handshakes", maxHandshakes);
            nonNegative("server.max_body_bytes_in_flight", maxBodyBytesInFlight);
            // a smaller budget would refuse some admissible bodies forever, however idle the node
            if (maxBodyBytesInFlight != 0 && maxBodyBytesInFlight < maxBodyBytes) {
                throw new IllegalArgumentException("server.max_body_bytes_in_flight must be 0 (sized from the JVM's"
                        + " memory) or at least server.max_body_bytes (" + maxBodyBytes + "), got "
                        + maxBodyBytesInFlight);
            }
            positive("server.queue_capacity", queueCapacity);
            positive("server.request_timeout", requestTimeout);
            positive("server.generation_timeout", generationTimeout);
            if (required("server.inline_max", inlineMax).isNegative()) {
                throw new IllegalArgumentException("server.inline_max must be >= 0 (0: every task on a worker)");
            }
            if (required("server.idle_spin", idleSpin).isNegative() || idleSpin.compareTo(Duration.ofMillis(10)) > 0) {
                throw new IllegalArgumentException(
                        "server.idle_spin must be between 0 (off) and 10ms, got " + idleSpin);
            }
            positive("server.read_timeout", readTimeout);
            positive("server.handshake_timeout", handshakeTimeout);
            positive("server.idle_timeout", idleTimeout);
            positive("server.write_timeout", writeTimeout);
            positive("server.drain_timeout", drainTimeout);
            if (adminListen != null) {
                HostPort.parse(adminListen);
            }
            if (required("server.replay_window", replayWindow).isNegative()) {
                throw new IllegalArgumentException("server.replay_window must be >= 0 (0: off)");
            }
            positive("server.replay_capacity", replayCapacity);
            positive("server.max_embedding_inputs", maxEmbeddingInputs);
            positive("server.max_embedding_chars", maxEmbeddingChars);
            positive("server.max_embedding_token_ids", maxEmbeddingTokenIds);
            if (maxGenerationChoices < 1 || maxGenerationChoices > 128) {
                throw new IllegalArgumentException(
                        "server.max_generation_choices must be between 1 and 128, got " + maxGenerationChoices);
            }
            positive("server.max_generation_chars", maxGenerationChars);
            positive("server.max_generation_token_ids", maxGenerationTokenIds);
            positive("server.max_chat_messages", maxChatMessages);
            required("server.tls", tls);
        }

        public @Nullable HostPort adminAddress() {
            return adminListen == null ? null : HostPort.parse(adminListen);
        }
    }

    /**
     * TLS on the node's listener. certFile: PEM certificate chain; keyFile: its PEM (PKCS#8)
     * private key, which is the listener's and never the node's signing key; clientCaFile: when
     * set, mutual TLS: only clients with a certificate issued by this CA are served.
     */
    public record Tls(
            boolean enabled,
            @Nullable Path certFile,
            @Nullable Path keyFile,
            @Nullable Path clientCaFile) {
        public Tls {
            if (enabled && (certFile == null || keyFile == null)) {
                throw new IllegalArgumentException(
                        "server.tls.enabled needs server.tls.cert_file and server.tls.key_file");
            }
        }
    }

    static <T> T required(String key, @Nullable T value) {
        if (value == null) {
            throw new IllegalArgumentException(key + " is required");
        }
        return value;
    }

    static void positive(String key, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(key + " must be > 0, got " + v);
        }
    }

    static void nonNegative(String key, long v) {
        if (v < 0) {
            throw new IllegalArgumentException(key + " must be >= 0, got " + v);
        }
    }

    static void positive(String key, @Nullable Duration d) {
        if (d == null) {
            throw new IllegalArgumentException(key + " is required");
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + " must be > 0, got " + d);
        }
    }

    /**
     * The declared comparison policy of POST /v1/verify (docs/verification.md), printed in every
     * verdict; the defaults are measured there.
     */
    public record Verification(
            boolean exactWhenSameFingerprint, Tensors tensors, Embeddings embeddings, Generations generations) {
        public Verification {
            required("verification.tensors", tensors);
            required("verification.embeddings", embeddings);
            required("verification.generations", generations);
        }

        /** Each part checks its values as it is read, so a bad one is refused at load naming its key. */
        public record Tensors(double fp32Absolute, double fp32Relative, double fp16Absolute, double fp16Relative) {
            public Tensors {
                policy(fp32Absolute, fp32Relative, fp16Absolute, fp16Relative);
            }

            private static TensorPolicy policy(double a32, double r32, double a16, double r16) {
                return new TensorPolicy(new TensorPolicy.Tolerance(a32, r32), new TensorPolicy.Tolerance(a16, r16));
            }
        }

        public record Embeddings(double minCosine, double maxAbs) {
            public Embeddings {
                new EmbeddingPolicy(minCosine, maxAbs);
            }
        }

        public record Generations(
                double tieLogitGap, double minSampledProbability, double logprobAbs, int maxDeviatingPositions) {
            public Generations {
                new GenerationPolicy(tieLogitGap, minSampledProbability, logprobAbs, maxDeviatingPositions);
            }
        }

        public VerifyPolicy policy() {
            return new VerifyPolicy(
                    Tensors.policy(
                            tensors.fp32Absolute(),
                            tensors.fp32Relative(),
                            tensors.fp16Absolute(),
                            tensors.fp16Relative()),
                    new EmbeddingPolicy(embeddings.minCosine(), embeddings.maxAbs()),
                    new GenerationPolicy(
                            generations.tieLogitGap(),
                            generations.minSampledProbability(),
                            generations.logprobAbs(),
                            generations.maxDeviatingPositions()),
                    exactWhenSameFingerprint);
        }
    }
}
