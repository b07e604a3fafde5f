package io.parallelix.node.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.parallelix.node.crypto.SigAlg;
import io.parallelix.node.gpu.ProviderMode;
import io.parallelix.node.testing.RepoRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path tmp;

    private final Path home = Path.of("/home/op");

    @Test
    void load_noFile_givesDevelopmentDefaults() throws Exception {
        NodeConfig c = new ConfigLoader(Map.of(), home).load(null, Map.of());
        assertThat(c.listen()).isEqualTo("127.0.0.1:8080");
        assertThat(c.dataDir()).isEqualTo(home.resolve(".local/share/pxnode"));
        assertThat(c.keyFile()).isEqualTo(home.resolve(".local/share/pxnode/node-key.pem"));
        assertThat(c.modelsDir()).isEqualTo(home.resolve(".local/share/pxnode/models"));
        assertThat(c.engine().providerMode()).isEqualTo(ProviderMode.AUTO);
        assertThat(c.key().sigAlg()).isEqualTo(SigAlg.PS256);
        assertThat(c.server().maxBodyBytes()).isEqualTo(64 << 20);
        assertThat(c.server().requestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.server().generationTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.server().inlineMax()).isEqualTo(Duration.ofMillis(2));
        assertThat(c.server().idleSpin()).isEqualTo(Duration.ofNanos(200_000));
    }

    @Test
    void load_fileThenEnvThenFlags_laterWins() throws Exception {
        Path file = tmp.resolve("node.yaml");
        Files.writeString(
                file,
                "listen: 0.0.0.0:9000\nserver:\n  queue_capacity: 7\n  read_timeout: 5s\nengine:\n  provider: cpu\n");
        Map<String, String> env = Map.of(
                "PXNODE_SERVER_QUEUE_CAPACITY",
                "9",
                "PXNODE_ENGINE_CUDA_DEVICE_IDS",
                "0, 1",
                "PXNODE_KEY_SIG_ALG",
                "RS256");
        NodeConfig c = new ConfigLoader(env, home).load(file, Map.of("listen", "127.0.0.1:0"));
        assertThat(c.listen()).isEqualTo("127.0.0.1:0");
        assertThat(c.server().queueCapacity()).isEqualTo(9);
        assertThat(c.server().readTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.engine().providerMode()).isEqualTo(ProviderMode.CPU);
        assertThat(c.engine().cuda().deviceIds()).containsExactly(0, 1);
        assertThat(c.key().sigAlg()).isEqualTo(SigAlg.RS256);
    }

    @Test
    void load_unknownKey_namesItsPath() throws Exception {
        Path file = tmp.resolve("node.yaml");
        Files.writeString(file, "server:\n  max_body_byte: 10\n");
        assertThatThrownBy(() -> new ConfigLoader(Map.of(), home).load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key 'server.max_body_byte'")
                .hasMessageContaining("max_body_bytes");
    }

    @Test
    void load_invalidValues_nameKeyAndAllowedValues() throws Exception {
        expectError("engine:\n  provider: gpu\n", "provider");
        expectError("server:\n  queue_capacity: 0\n", "server.queue_capacity must be > 0");
        expectError("server:\n  request_timeout: soon\n", "request_timeout");
        expectError("engine:\n  cuda:\n    cudnn_conv_algo_search: FAST\n", "EXHAUSTIVE, HEURISTIC, DEFAULT");
        expectError("key:\n  sig_alg: ES256\n", "sig_alg");
        expectError("listen: nowhere\n", "listen");
        expectError("server: 5\n", "server");
        expectError("- a\n- b\n", "mapping");
        expectError("server:\n  max_handshakes: 0\n", "server.max_handshakes must be > 0");
        expectError("server:\n  handshake_timeout: 0s\n", "server.handshake_timeout must be > 0");
        expectError(
                "server:\n  max_body_bytes: 1000\n  max_body_bytes_in_flight: 999\n",
                "server.max_body_bytes_in_flight must be 0 (sized from the JVM's memory) or at least");
        expectError("server:\n  max_body_bytes_in_flight: -1\n", "server.max_body_bytes_in_flight must be >= 0");
        expectError("server:\n  inline_max: -1ms\n", "server.inline_max");
        expectError("server:\n  idle_spin: 11ms\n", "server.idle_spin must be between 0 (off) and 10ms");
    }

    @Test
    void load_badCudaOptions_nameTheWholeKey() throws Exception {
        expectError("engine:\n  cuda:\n    gpu_mem_limit: -1\n", "engine.cuda.gpu_mem_limit must be >= 0");
        expectError("engine:\n  cuda:\n    device_ids: [1, 1]\n", "engine.cuda.device_ids repeat a device");
        expectError("engine:\n  cuda:\n    device_ids: []\n", "engine.cuda.device_ids must name at least one");
        expectError(
                "engine:\n  cuda:\n    arena_extend_strategy: kDouble\n",
                "engine.cuda.arena_extend_strategy must be one of kNextPowerOfTwo, kSameAsRequested; got 'kDouble'");
    }

    private void expectError(String yaml, String fragment) throws Exception {
        Path file = tmp.resolve("bad.yaml");
        Files.writeString(file, yaml);
        assertThatThrownBy(() -> new ConfigLoader(Map.of(), home).load(file, Map.of()))
                .as(yaml)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(fragment);
    }

    @Test
    void load_missingFile_saysSo() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of(), home).load(tmp.resolve("none.yaml"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void load_unknownOverride_isRefused() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of(), home).load(null, Map.of("engine.gpu", "x")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("engine.gpu");
    }

    @Test
    void exampleConfig_documentsEveryKeyAndLoads() throws Exception {
        Path example = RepoRoot.resolve("config/node.example.yaml");
        JsonNode tree = new YAMLMapper().readTree(example.toFile());
        List<String> exampleKeys = new ArrayList<>();
        collect(tree, "", exampleKeys);
        ConfigLoader loader = new ConfigLoader(Map.of(), home);
        assertThat(exampleKeys).containsExactlyInAnyOrderElementsOf(loader.keys());
        NodeConfig c = loader.load(example, Map.of());
        assertThat(c.engine().providerMode()).isEqualTo(ProviderMode.CUDA);
        assertThat(c.key().generate()).isFalse();
    }

    @Test
    void render_roundTripsThroughLoad() throws Exception {
        ConfigLoader loader = new ConfigLoader(Map.of(), home);
        NodeConfig c = loader.load(null, Map.of("server.drain_timeout", "1500ms"));
        Path file = tmp.resolve("printed.yaml");
        Files.writeString(file, loader.render(c));
        assertThat(loader.load(file, Map.of())).isEqualTo(c);
    }

    @Test
    void render_paths_arePlainPathsNotFileUris() throws Exception {
        ConfigLoader loader = new ConfigLoader(Map.of(), home);
        String yaml = loader.render(loader.load(null, Map.of("key.file", "/etc/pxnode/node-key.pem")));
        assertThat(yaml)
                .contains("data_dir: \"/home/op/.local/share/pxnode\"")
                .contains("file: \"/etc/pxnode/node-key.pem\"")
                .doesNotContain("file:/");
    }

    private static void collect(JsonNode node, String prefix, List<String> out) {
        node.fields().forEachRemaining(f -> {
            if (f.getValue().isObject()) {
                collect(f.getValue(), prefix + f.getKey() + ".", out);
            } else {
                out.add(prefix + f.getKey());
            }
        });
    }
}
