package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelix.node.gpu.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an engine's open tells its LoadListener, and ModelDirectory agreeing with the load's digest. */
class LoadListenerTest {
    @TempDir
    Path dir;

    @Test
    void open_reportsEveryModelsStagesInOrderAndTheBytesHashed() throws Exception {
        TestModels.writeAdd(dir);
        TestModels.writeMulti(dir);
        List<String> names = new ArrayList<>();
        List<LoadProgress> seen = new ArrayList<>();
        LoadListener listener = new LoadListener() {
            @Override
            public void models(List<String> found) {
                names.addAll(found);
            }

            @Override
            public void progress(LoadProgress p) {
                seen.add(p);
            }
        };
        try (InferenceEngine engine = InferenceEngine.open(TestModels.cpuConfig(dir), Clock.systemUTC(), listener)) {
            assertThat(names).containsExactly(TestModels.ADD, TestModels.MULTI);
            for (String model : names) {
                List<LoadProgress> mine =
                        seen.stream().filter(p -> p.model().equals(model)).toList();
                List<LoadStage> stages =
                        mine.stream().map(LoadProgress::stage).distinct().toList();
                assertThat(stages)
                        .containsExactly(LoadStage.HASHING, LoadStage.SESSIONS, LoadStage.WARMUP, LoadStage.READY);
                long size = Files.size(dir.resolve(model).resolve("model.onnx"));
                LoadProgress last = mine.get(mine.size() - 1);
                assertThat(last.bytesHashed()).isEqualTo(size);
                assertThat(last.bytesTotal()).isEqualTo(size);
                assertThat(last.index()).isEqualTo(names.indexOf(model) + 1);
                assertThat(last.count()).isEqualTo(2);
                ModelDirectory directory = ModelDirectory.of(model, dir.resolve(model));
                assertThat(directory.digest(ByteProgress.NONE).sha256())
                        .isEqualTo(engine.model(model).orElseThrow().sha256());
            }
        }
    }
}
