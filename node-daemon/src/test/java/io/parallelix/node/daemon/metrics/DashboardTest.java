package io.parallelix.node.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.daemon.TestNode;
import io.parallelix.node.daemon.cli.DefaultModel;
import io.parallelix.node.gpu.testing.TestDecoders;
import io.parallelix.node.gpu.testing.TestModels;
import io.parallelix.node.testing.RepoRoot;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * config/grafana/pxnode.json against a real node: every series its queries select exists in the
 * node's /metrics once the node has served one request of each kind (so the dashboard cannot
 * drift from the metrics), with every label it matches on and every literal value it asks for;
 * and the JSON is a dashboard Grafana imports (the panels named, each on the datasource variable,
 * ids unique, grid positions inside the 24 columns and not overlapping). Grafana's own schema is
 * not checked: no offline package of it is among the references.
 */
class DashboardTest {
    private static final Path DASHBOARD = RepoRoot.resolve("config/grafana/pxnode.json");
    private static final String DATASOURCE = "${datasource}";
    /** Added by Prometheus when it scrapes (the target's labels), so never in /metrics itself. */
    private static final Set<String> TARGET_LABELS = Set.of("instance", "job");

    private static final List<String> PANELS = List.of(
            "Requests by model and outcome",
            "Errors by model and outcome",
            "Connections rejected",
            "Stage latency p50",
            "Stage latency p99",
            "Mean time per stage",
            "Queue depth and in flight",
            "Tokens/s",
            "Time to first token",
            "Inter-token latency",
            "Embeddings/s",
            "Embedding request latency",
            "Signing share",
            "Sign time",
            "Memory",
            "GC and CPU",
            "Model readiness",
            "Model provider");

    private static final String ADD_REQUEST = """
            {"id":"dash-1","inputs":[
              {"name":"a","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]},
              {"name":"b","shape":[1,4],"datatype":"FP32","data":[10,20,30,40]}],
             "outputs":[{"name":"sum"}]}""";

    @TempDir
    Path dir;

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void dashboard_everySelectedSeries_isInALiveNodesScrape() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        TestModels.writeAdd(models);
        DefaultModel.install(models);
        TestDecoders.write(models, TestDecoders.llama(TestDecoders.LLAMA));
        String scrape;
        try (TestNode node = TestNode.start(dir, TestNode.newKey(), Map.of())) {
            assertThat(node.postJson("/v2/models/add/infer", ADD_REQUEST).statusCode())
                    .isEqualTo(200);
            HttpResponse<byte[]> emb = node.postJson(
                    "/v1/embeddings", "{\"model\":\"" + DefaultModel.NAME + "\",\"input\":[\"hello\",\"world\"]}");
            assertThat(emb.statusCode()).as(body(emb)).isEqualTo(200);
            String completion = "{\"model\":\"" + TestDecoders.LLAMA
                    + "\",\"prompt\":[72,101,108,108],\"max_tokens\":4,\"temperature\":0%s}";
            HttpResponse<byte[]> whole = node.postJson("/v1/completions", completion.formatted(""));
            assertThat(whole.statusCode()).as(body(whole)).isEqualTo(200);
            HttpResponse<byte[]> streamed = node.postJson("/v1/completions", completion.formatted(",\"stream\":true"));
            assertThat(streamed.statusCode()).as(body(streamed)).isEqualTo(200);
            assertThat(node.get("/v2/models/nope/ready").statusCode()).isEqualTo(404);
            scrape = body(node.get("/metrics"));
        }
        Map<String, List<Map<String, String>>> series = parse(scrape);
        assertThat(series.get("pxnode_embeddings_total"))
                .as("two inputs, two vectors")
                .containsExactly(Map.of("model", DefaultModel.NAME, "__value", "2.0"));

        List<String> problems = new ArrayList<>();
        int selectors = 0;
        for (Map.Entry<String, String> q : queries(dashboard()).entrySet()) {
            for (PromQlSelectors.Selector s : PromQlSelectors.of(q.getValue())) {
                selectors++;
                List<Map<String, String>> samples = series.get(s.metric());
                if (samples == null) {
                    problems.add(q.getKey() + ": no series " + s.metric());
                    continue;
                }
                for (PromQlSelectors.Label l : s.labels()) {
                    if (TARGET_LABELS.contains(l.name())) {
                        continue;
                    }
                    if (samples.stream().noneMatch(x -> x.containsKey(l.name()))) {
                        problems.add(q.getKey() + ": " + s.metric() + " has no label " + l.name());
                    } else if (!l.value().contains("$") && l.op().equals("=")) {
                        if (samples.stream().noneMatch(x -> l.value().equals(x.get(l.name())))) {
                            problems.add(
                                    q.getKey() + ": no " + s.metric() + "{" + l.name() + "=\"" + l.value() + "\"}");
                        }
                    }
                }
            }
        }
        assertThat(problems).as("scrape:\n%s", scrape).isEmpty();
        assertThat(selectors).isGreaterThan(30);
    }

    @Test
    void dashboard_json_isAnImportableDashboardWithThePanelsNamed() throws Exception {
        JsonNode d = dashboard();
        assertThat(d.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(39);
        assertThat(d.path("uid").asText()).matches("[a-zA-Z0-9_-]{1,40}");
        assertThat(d.path("title").asText()).isNotBlank();
        assertThat(d.at("/__inputs/0/pluginId").asText()).isEqualTo("prometheus");

        Map<String, JsonNode> variables = new HashMap<>();
        d.at("/templating/list").forEach(v -> variables.put(v.path("name").asText(), v));
        assertThat(variables).containsOnlyKeys("datasource", "instance", "model");
        assertThat(variables.get("datasource").path("type").asText()).isEqualTo("datasource");
        assertThat(variables.get("datasource").path("query").asText()).isEqualTo("prometheus");
        for (String v : List.of("instance", "model")) {
            assertThat(variables.get(v).at("/datasource/uid").asText()).as(v).isEqualTo(DATASOURCE);
            assertThat(variables.get(v).path("includeAll").asBoolean()).as(v).isTrue();
        }

        List<String> titles = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        List<int[]> boxes = new ArrayList<>();
        for (JsonNode p : d.path("panels")) {
            String title = p.path("title").asText();
            assertThat(ids.add(p.path("id").asInt()))
                    .as("id of %s unique", title)
                    .isTrue();
            JsonNode g = p.path("gridPos");
            int x = g.path("x").asInt(-1),
                    y = g.path("y").asInt(-1),
                    w = g.path("w").asInt(),
                    h = g.path("h").asInt();
            assertThat(x >= 0 && y >= 0 && w >= 1 && h >= 1 && x + w <= 24)
                    .as("gridPos of %s: %s", title, g)
                    .isTrue();
            for (int[] b : boxes) {
                boolean apart = x + w <= b[0] || b[0] + b[2] <= x || y + h <= b[1] || b[1] + b[3] <= y;
                assertThat(apart).as("%s overlaps another panel", title).isTrue();
            }
            boxes.add(new int[] {x, y, w, h});
            if (p.path("type").asText().equals("row")) {
                continue;
            }
            titles.add(title);
            assertThat(p.at("/datasource/uid").asText())
                    .as("datasource of %s", title)
                    .isEqualTo(DATASOURCE);
            assertThat(p.path("targets")).as("targets of %s", title).isNotEmpty();
            Set<String> refIds = new HashSet<>();
            for (JsonNode t : p.path("targets")) {
                assertThat(t.at("/datasource/uid").asText())
                        .as("target datasource of %s", title)
                        .isEqualTo(DATASOURCE);
                assertThat(t.path("expr").asText()).as("query of %s", title).isNotBlank();
                assertThat(refIds.add(t.path("refId").asText()))
                        .as("refId in %s", title)
                        .isTrue();
            }
        }
        assertThat(titles).containsExactlyInAnyOrderElementsOf(PANELS);
    }

    @Test
    void selectors_skipFunctionsGroupingRangesAndVariables() {
        assertThat(
                        PromQlSelectors.of(
                                "histogram_quantile(0.99, sum by (le, stage) (rate("
                                        + "pxnode_stage_seconds_bucket{instance=~\"$instance\", model=~\"$model\"}[$__rate_interval])))"))
                .containsExactly(new PromQlSelectors.Selector(
                        "pxnode_stage_seconds_bucket",
                        List.of(
                                new PromQlSelectors.Label("instance", "=~", "$instance"),
                                new PromQlSelectors.Label("model", "=~", "$model"))));
        assertThat(PromQlSelectors.of("sum(rate(a_sum{stage=\"sign\"}[5m])) / ignoring(stage) group_left sum(b) * 1e3"))
                .extracting(PromQlSelectors.Selector::metric)
                .containsExactly("a_sum", "b");
        assertThat(PromQlSelectors.of("rate(c_total[5m] offset 1h30m) > bool 2"))
                .extracting(PromQlSelectors.Selector::metric)
                .containsExactly("c_total");
        assertThat(PromQlSelectors.of("process_resident_memory_bytes"))
                .extracting(PromQlSelectors.Selector::metric)
                .containsExactly("process_resident_memory_bytes");
        assertThatThrownBy(() -> PromQlSelectors.of("count({__name__=~\"pxnode_.*\"})"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private JsonNode dashboard() throws Exception {
        return mapper.readTree(DASHBOARD.toFile());
    }

    /** Every PromQL query of the dashboard, keyed by where it is (panel title and refId, or variable). */
    private static Map<String, String> queries(JsonNode d) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode p : d.path("panels")) {
            for (JsonNode t : p.path("targets")) {
                out.put(
                        p.path("title").asText() + "/" + t.path("refId").asText(),
                        t.path("expr").asText());
            }
        }
        Pattern labelValues = Pattern.compile("label_values\\((.*),\\s*\\w+\\)");
        for (JsonNode v : d.at("/templating/list")) {
            Matcher m = labelValues.matcher(v.at("/query/query").asText());
            if (m.matches()) {
                out.put("variable " + v.path("name").asText(), m.group(1));
            }
        }
        return out;
    }

    /** Sample name → each sample's labels (and its value under "__value"). */
    private static Map<String, List<Map<String, String>>> parse(String scrape) {
        Pattern sample = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)");
        Pattern label = Pattern.compile("([a-zA-Z_]\\w*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
        Map<String, List<Map<String, String>>> out = new HashMap<>();
        for (String line : scrape.split("\n")) {
            Matcher m = sample.matcher(line);
            if (line.startsWith("#") || !m.matches()) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            Matcher l = label.matcher(m.group(2) == null ? "" : m.group(2));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
            labels.put("__value", m.group(3));
            out.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(labels);
        }
        return out;
    }

    private static String body(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }
}
