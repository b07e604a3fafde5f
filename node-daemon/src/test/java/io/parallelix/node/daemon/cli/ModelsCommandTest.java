package io.parallelix.node.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelix.node.daemon.TestNode;
import io.parallelix.node.gpu.InferenceEngine;
import io.parallelix.node.gpu.ModelInfo;
import io.parallelix.node.gpu.ModelTask;
import io.parallelix.node.gpu.testing.OnnxGraph;
import io.parallelix.node.gpu.testing.TestDecoders;
import io.parallelix.node.gpu.testing.TestModels;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pxnode models add, list and verify in-process, on generated models (and the bundled MiniLM export). */
class ModelsCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = PxNode.commandLine(
                        Map.of("HOME", dir.toString()),
                        new ByteArrayInputStream(new byte[0]),
                        new PrintWriter(out, true),
                        new PrintWriter(err, true))
                .execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path models() {
        return dir.resolve("models");
    }

    /** add with the test's models directory and data dir (the tokenizers library is unpacked there). */
    private Run add(Path export, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "models", "add", export.toString(), "--models-dir", models().toString(), "--data-dir", dir.toString()));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    private Run inModels(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--models-dir", models().toString(), "--data-dir", dir.toString()));
        return run(all.toArray(String[]::new));
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** Every entry of the models directory, hidden ones included: no staging directory may be left. */
    private List<String> entries() throws Exception {
        if (!Files.isDirectory(models())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(models())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void add_tensorModel_copiesPinsTheNodesDigestAndVerifies() throws Exception {
        Path export = TestModels.writeAdd(dir.resolve("export"));
        Run r = add(export);
        assertThat(r.exit()).as(r.err()).isZero();
        String digest = sha256(export.resolve("model.onnx")); // a graph alone keeps v1's digest
        assertThat(r.out())
                .contains("added model 'add': task tensor, 1 file(s)")
                .contains("sha256 " + digest);
        assertThat(entries()).containsExactly("add");
        String config = Files.readString(models().resolve("add/config.yaml"));
        assertThat(config).contains("sha256: \"" + digest + "\"").contains("task: \"tensor\"");
        assertThat(Files.isSymbolicLink(models().resolve("add/model.onnx"))).isFalse();

        Run verify = inModels("models", "verify");
        assertThat(verify.exit()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("ok        add  sha256 " + digest);
    }

    @Test
    void add_embeddingExport_detectsTheTaskPinsWhatTheBundledConfigPinsAndWritesItsBounds() throws Exception {
        Path export = DefaultModel.install(dir.resolve("export"));
        String bundled = Files.readString(export.resolve("config.yaml"));
        Files.delete(export.resolve("config.yaml")); // as Hugging Face ships it: no config.yaml
        Files.writeString(export.resolve("README.md"), "not read by the node, so not copied\n");
        Run r = add(export, "--name", "minilm");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("added model 'minilm': task embedding");
        String config = Files.readString(models().resolve("minilm/config.yaml"));
        String pin = config.lines()
                .filter(l -> l.startsWith("sha256:"))
                .findFirst()
                .orElseThrow()
                .replaceAll(".*\"(\\p{XDigit}{64})\".*", "$1");
        assertThat(bundled).contains(pin); // scripts/default_model_config.mjs computed it independently
        assertThat(config)
                .contains("task: \"embedding\"")
                .contains("max_tokens: ")
                .contains("max_sequence: ");
        assertThat(models().resolve("minilm/README.md")).doesNotExist();
        try (InferenceEngine engine = InferenceEngine.open(TestModels.cpuConfig(models()))) {
            ModelInfo served = engine.model("minilm").orElseThrow(); // the written config loads, same digest
            assertThat(served.sha256()).isEqualTo(pin);
            assertThat(config).contains("max_tokens: " + served.embedding().maxTokens());
        }
        assertThat(models().resolve("minilm/1_Pooling/config.json")).exists();
    }

    @Test
    void add_generationExportWithExternalData_linked_servesAsGeneration() throws Exception {
        Path export = TestDecoders.write(
                dir.resolve("export"),
                TestDecoders.llama(TestDecoders.LLAMA)
                        .withModelPath("onnx/model.onnx")
                        .withExternalData(true));
        Run r = add(export, "--link");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("added model '" + TestDecoders.LLAMA + "': task generation")
                .contains("(linked)");
        Path added = models().resolve(TestDecoders.LLAMA);
        assertThat(Files.isSymbolicLink(added.resolve("onnx/model.onnx"))).isTrue();
        assertThat(added.resolve("onnx/" + TestDecoders.EXTERNAL_DATA)).exists();
        assertThat(added.resolve(TestDecoders.REFERENCE_WEIGHTS)).doesNotExist();
        assertThat(Files.readString(added.resolve("config.yaml")))
                .contains("task: \"generation\"")
                .contains("context_length: ")
                .contains("max_new_tokens: ");
        assertThat(Files.isSymbolicLink(added.resolve("config.yaml"))).isFalse();
        assertThat(inModels("models", "verify", TestDecoders.LLAMA).exit()).isZero();
        try (InferenceEngine engine = InferenceEngine.open(TestModels.cpuConfig(models()))) {
            ModelInfo served = engine.model(TestDecoders.LLAMA).orElseThrow(); // the written config loads
            assertThat(served.task()).isEqualTo(ModelTask.GENERATION);
            assertThat(Files.readString(added.resolve("config.yaml")))
                    .contains("context_length: " + served.generation().contextLength());
        }
    }

    @Test
    void add_refusesWhatTheNodeCannotServe_andLeavesNothingBehind() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("export/empty"));
        Run none = add(empty);
        assertThat(none.exit()).isEqualTo(ExitCodes.ENGINE);
        assertThat(none.err())
                .startsWith("pxnode: ")
                .contains("has no model.onnx")
                .doesNotContain("\tat ");

        Path corrupt = TestModels.writeCorrupt(dir.resolve("export"), "corrupt");
        Run notOnnx = add(corrupt);
        assertThat(notOnnx.exit()).isEqualTo(ExitCodes.ENGINE);
        assertThat(notOnnx.err()).contains("not a valid ONNX protobuf");

        OnnxGraph unknownOp = new OnnxGraph("bogus")
                .input("x", OnnxGraph.FLOAT, "n")
                .output("y", OnnxGraph.FLOAT, "n")
                .node("NoSuchOperator", List.of("x"), List.of("y"));
        Path bogus = TestModels.writeModel(dir.resolve("export"), "bogus", unknownOp.toModel(17));
        Run bad = add(bogus); // a valid protobuf that ONNX Runtime refuses: only a load finds out
        assertThat(bad.exit()).isEqualTo(ExitCodes.ENGINE);
        assertThat(bad.err())
                .contains("refused: the node could not serve it: model 'bogus': ONNX Runtime cannot load")
                .doesNotContain("\tat ");
        assertThat(entries()).isEmpty();

        Run missing = add(dir.resolve("nowhere"));
        assertThat(missing.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("export directory").contains("does not exist");

        Path add = TestModels.writeAdd(dir.resolve("export"));
        Run badName = add(add, "--name", "../etc");
        assertThat(badName.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(badName.err()).contains("not a valid model name");

        assertThat(add(add).exit()).isZero();
        Run clash = add(add);
        assertThat(clash.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(clash.err()).contains("model 'add' already exists").contains("--name");
        assertThat(entries()).containsExactly("add");
    }

    @Test
    void add_ofADirectoryAlreadyInTheModelsDirectory_pinsItInPlace() throws Exception {
        Path inside = TestModels.writeAdd(models());
        byte[] graph = Files.readAllBytes(inside.resolve("model.onnx"));
        Run r = add(inside);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("pinned model 'add' in place: task tensor");
        assertThat(entries()).containsExactly("add");
        assertThat(Files.isSymbolicLink(inside.resolve("model.onnx"))).isFalse();
        assertThat(Files.readAllBytes(inside.resolve("model.onnx"))).isEqualTo(graph);
        assertThat(Files.readString(inside.resolve("config.yaml")))
                .contains("sha256: \"" + sha256(inside.resolve("model.onnx")));
        assertThat(inModels("models", "verify").out()).startsWith("ok        add");
    }

    @Test
    void verify_aChangedFile_isAMismatchWithExit1() throws Exception {
        assertThat(add(TestModels.writeAdd(dir.resolve("export"))).exit()).isZero();
        TestModels.writeMulti(dir.resolve("export")); // a second, unpinned model beside it
        Files.move(dir.resolve("export/multi"), models().resolve("multi"));
        Path onnx = models().resolve("add/model.onnx");
        byte[] bytes = Files.readAllBytes(onnx);
        bytes[bytes.length - 1] ^= 1;
        Files.write(onnx, bytes);

        Run r = inModels("models", "verify");
        assertThat(r.exit()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(r.out())
                .contains("MISMATCH  add: its files [model.onnx] have sha256 " + sha256(onnx))
                .contains("unpinned  multi");
        assertThat(r.err()).contains("1 model(s) do not match their pin");
        assertThat(inModels("models", "verify", "multi").exit()).isZero();
        Run unknown = inModels("models", "verify", "nope");
        assertThat(unknown.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("no model 'nope'");
    }

    @Test
    void list_fromTheDirectory_showsPinsFilesAndSize() throws Exception {
        assertThat(add(TestModels.writeAdd(dir.resolve("export"))).exit()).isZero();
        TestModels.writeMulti(models());
        String digest = sha256(models().resolve("add/model.onnx"));
        Run r = inModels("models", "list");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).matches("NAME +TASK +SHA256 +FILES +SIZE +PROVIDER +READY");
        assertThat(lines.get(1)).matches("add +tensor +" + digest.substring(0, 12) + " +1 +\\d+ B +- +-");
        assertThat(lines.get(2)).matches("multi +- +unpinned +1 +\\d+ B +- +-");

        Run json = inModels("models", "list", "--json");
        assertThat(json.out()).contains("\"sha256\" : \"" + digest + "\"").contains("\"files\" : 1");
    }

    @Test
    void list_fromARunningNode_showsProviderAndReadiness() throws Exception {
        assertThat(add(TestModels.writeAdd(dir.resolve("export"))).exit()).isZero();
        String digest = sha256(models().resolve("add/model.onnx"));
        try (TestNode node = TestNode.start(dir, TestNode.newKey(), Map.of())) {
            Run r = run("models", "list", "--node", node.base.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out().lines().toList().get(1))
                    .matches("add +tensor +" + digest.substring(0, 12) + " +- +- +CPUExecutionProvider +yes");
        }
        Run gone = run("models", "list", "--node", "http://127.0.0.1:1");
        assertThat(gone.exit()).isEqualTo(ExitCodes.IO);
        assertThat(gone.err()).contains("cannot reach http://127.0.0.1:1/v1/models");
    }

    @Test
    void add_whereTheModelsDirectoryCannotBeMade_isAnIoErrorNamingIt() throws Exception {
        Files.writeString(models(), "a file where the models directory should be\n");
        Run r = add(TestModels.writeAdd(dir.resolve("export")));
        assertThat(r.exit()).isEqualTo(ExitCodes.IO);
        assertThat(r.err()).startsWith("pxnode: cannot use " + models()).doesNotContain("\tat ");
    }

    @Test
    void models_withoutASubcommand_isAUsageError() {
        Run r = run("models");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("list, add or verify");
    }
}
