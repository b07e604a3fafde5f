package io.parallelix.node.daemon.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parallelix.node.crypto.CryptoProvider;
import io.parallelix.node.crypto.CryptoSelfTest;
import io.parallelix.node.crypto.EnvelopeVerifier;
import io.parallelix.node.crypto.KeyFiles;
import io.parallelix.node.crypto.NodeKey;
import io.parallelix.node.crypto.Verdict;
import io.parallelix.node.daemon.Node;
import io.parallelix.node.daemon.config.ConfigLoader;
import io.parallelix.node.daemon.config.NodeConfig;
import io.parallelix.node.daemon.protocol.Envelope;
import io.parallelix.node.daemon.protocol.Json;
import io.parallelix.node.gpu.GpuProbe;
import io.parallelix.node.gpu.ModelInfo;
import io.parallelix.node.gpu.ProviderMode;
import io.parallelix.node.gpu.TensorSpec;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Checks, in order, what a production node needs: crypto known answers, the key file, the GPU and
 * CUDA libraries (as the provider requires), every model (load, warm-up, canary), and one request
 * through the real server on a loopback port whose envelope verifies. Exit 0 only if all pass.
 */
@Command(name = "self-test", mixinStandardHelpOptions = true, description = "Check that this node can serve.")
final class SelfTestCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    record Check(String name, boolean ok, String detail) {}

    SelfTestCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        NodeConfig config = options.load(context);
        List<Check> checks = new ArrayList<>();
        checks.add(crypto(config));
        NodeKey key = null;
        try {
            key = loadKey(config);
            checks.add(new Check(
                    "key", true, config.keyFile() + ", node_id " + key.nodeId().hex()));
        } catch (Exception e) {
            checks.add(new Check("key", false, String.valueOf(e.getMessage())));
        }
        checks.add(gpu(config));
        DefaultModel.installIfNeeded(config, spec.commandLine().getErr()); // what serve would run
        if (key == null) {
            checks.add(new Check("models", false, "skipped: no usable key"));
            checks.add(new Check("request", false, "skipped: no usable key"));
        } else {
            serve(config, key, checks);
        }
        boolean ok = checks.stream().allMatch(Check::ok);
        print(checks, ok);
        return ok ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    private static Check crypto(NodeConfig config) {
        try {
            String tested = CryptoSelfTest.run(config.key().provider());
            return new Check(
                    "crypto",
                    true,
                    "SHA-256, PoE v1, RS256 and PS256 known answers (crypto_provider "
                            + config.key().cryptoProvider() + ": " + tested + ")");
        } catch (Exception e) {
            return new Check("crypto", false, String.valueOf(e.getMessage()));
        }
    }

    private NodeKey loadKey(NodeConfig config) throws Exception {
        char[] passphrase = KeySetup.passphrase(config.key(), context);
        try {
            return KeyFiles.readPrivateKey(config.keyFile(), passphrase);
        } finally {
            if (passphrase != null) {
                Arrays.fill(passphrase, '\0');
            }
        }
    }

    private static Check gpu(NodeConfig config) {
        ProviderMode mode = config.engine().providerMode();
        GpuProbe.Report r = new GpuProbe().probe();
        List<String> missing = r.libraries().entrySet().stream()
                .filter(e -> e.getValue().isEmpty())
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
        String found = r.gpuPresent()
                ? String.join(", ", r.devices()) + ", driver " + r.driverVersion()
                : "no NVIDIA GPU found";
        String libs = missing.isEmpty() ? "CUDA 12 / cuDNN 9 libraries found" : "missing " + String.join(", ", missing);
        return switch (mode) {
            case CPU -> new Check("gpu", true, "not needed (provider cpu); " + found);
            case AUTO ->
                new Check(
                        "gpu",
                        true,
                        found + "; " + libs
                                + (r.gpuPresent() && missing.isEmpty() ? "" : " (provider auto will run on CPU)"));
            case CUDA -> new Check("gpu", r.gpuPresent() && missing.isEmpty(), found + "; " + libs);
        };
    }

    private void serve(NodeConfig config, NodeKey key, List<Check> checks) {
        NodeConfig loopback;
        try {
            loopback = new ConfigLoader(context.env(), context.home()).load(options.config, overridesWithLoopback());
        } catch (Exception e) {
            checks.add(new Check("models", false, String.valueOf(e.getMessage())));
            return;
        }
        try (Node node = Node.start(loopback, key, context.clock(), context.version())) {
            List<ModelInfo> models = node.status().models();
            boolean allReady = models.stream().allMatch(ModelInfo::ready);
            checks.add(new Check(
                    "models",
                    allReady && !models.isEmpty(),
                    models.isEmpty()
                            ? "no models in " + config.modelsDir()
                            : String.join(
                                    ", ",
                                    models.stream()
                                            .map(m -> m.name() + " (" + m.provider()
                                                    + (m.ready() ? ", canary ok)" : ", NOT ready)"))
                                            .toList())));
            if (models.isEmpty()) {
                checks.add(new Check("request", false, "skipped: no model"));
                return;
            }
            checks.add(request(node, models.get(0), key));
        } catch (Exception e) {
            checks.add(new Check("models", false, String.valueOf(e.getMessage())));
            checks.add(new Check("request", false, "skipped: the node did not start"));
        }
    }

    private Map<String, String> overridesWithLoopback() {
        Map<String, String> o = new java.util.LinkedHashMap<>();
        if (options.dataDir != null) {
            o.put("data_dir", options.dataDir.toString());
        }
        if (options.modelsDir != null) {
            o.put("engine.models_dir", options.modelsDir.toString());
        }
        if (options.provider != null) {
            o.put("engine.provider", options.provider);
        }
        o.put("listen", "127.0.0.1:0");
        return o;
    }

    private static Check request(Node node, ModelInfo model, NodeKey key) {
        try {
            ObjectMapper mapper = new Json(512 << 20).mapper();
            String id = "self-test-" + HexFormat.of().formatHex(java.security.SecureRandom.getSeed(8));
            byte[] body = mapper.writeValueAsBytes(sampleRequest(mapper, id, model));
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            URI uri = URI.create(
                    "http://127.0.0.1:" + node.address().getPort() + "/v2/models/" + model.name() + "/infer");
            HttpResponse<byte[]> res = client.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(60))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (res.statusCode() != 200) {
                return new Check(
                        "request",
                        false,
                        "HTTP " + res.statusCode() + ": "
                                + new String(res.body(), java.nio.charset.StandardCharsets.UTF_8));
            }
            Envelope e = mapper.readValue(res.body(), Envelope.class);
            Verdict v = e.verify(new EnvelopeVerifier(CryptoProvider.JDK), key.publicKey());
            return new Check(
                    "request",
                    v.valid() && e.requestId().equals(id),
                    v.valid()
                            ? "POST " + uri.getPath() + " → envelope verifies (" + e.sigAlg() + ", " + e.result().length
                                    + " result bytes)"
                            : "envelope does not verify: " + v.failed() + ": " + v.detail());
        } catch (Exception e) {
            return new Check("request", false, String.valueOf(e.getMessage()));
        }
    }

    /** Zero-valued inputs, dynamic dimensions as 1: every model accepts its own metadata. */
    static ObjectNode sampleRequest(ObjectMapper mapper, String id, ModelInfo model) {
        ObjectNode req = mapper.createObjectNode().put("id", id);
        ArrayNode inputs = req.putArray("inputs");
        for (TensorSpec spec : model.inputs()) {
            ObjectNode in = inputs.addObject()
                    .put("name", spec.name())
                    .put("datatype", spec.datatype().oipName());
            ArrayNode shape = in.putArray("shape");
            long n = 1;
            for (long d : spec.shape()) {
                long dim = d < 0 ? 1 : d;
                shape.add(dim);
                n *= dim;
            }
            ArrayNode data = in.putArray("data");
            for (long i = 0; i < n; i++) {
                switch (spec.datatype()) {
                    case BOOL -> data.add(false);
                    case BYTES -> data.add("");
                    default -> data.add(0);
                }
            }
        }
        return req;
    }

    private void print(List<Check> checks, boolean ok) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectMapper mapper = new Json(1 << 20).mapper();
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(Map.of("ok", ok, "checks", checks)));
        } else {
            for (Check c : checks) {
                out.printf("%-5s %-8s %s%n", c.ok() ? "ok" : "FAIL", c.name(), c.detail());
            }
            out.println(ok ? "self-test passed" : "self-test FAILED");
        }
        out.flush();
    }
}
