#!/usr/bin/env bash
# The node against the ONNX Runtime limit, stage by stage (issue 6; docs/benchmarks.md).
#
#   scripts/bench.sh            # node: in-process limits + node in process + node over HTTP + memory
#   scripts/bench.sh jmh        # JMH micro-benchmarks: protocol (node-daemon), engine, generation
#                               # loop (node-gpu), crypto
#   scripts/bench.sh all        # both
#   scripts/bench.sh profile [WORKLOAD [C [SECONDS]]]   # JFR of the node under wrk (default add 1 20);
#                               # BENCH_PROFILER=async: async-profiler instead (Maven Central jar,
#                               # attached with Debian's jattach; every thread's native frames:
#                               # ORT's, ACCP's, the JIT's), CPU by category (scripts/bench/cpu_by_part.py);
#                               # BENCH_PROFILE_WARMUP_S=10: wrk warm-up before sampling
#   scripts/bench.sh embeddings # /v1/embeddings over HTTP against tokenize + ORT + one signature
#                               # (bundled MiniLM; BENCH_EMB_WORKLOADS, BENCH_EMB_C, BENCH_REPEATS)
#   scripts/bench.sh generation # /v1/completions (whole and streamed) against prefill + decode on
#                               # ORT alone + one signature, and Engine.generate in process, on a
#                               # generated 56 M-weight Llama (BENCH_GEN_MODES, BENCH_GEN_C,
#                               # BENCH_GEN_REPEATS=3, BENCH_GEN_PROMPT=128, BENCH_GEN_TOKENS=128,
#                               # BENCH_GEN_PER_CLIENT=2, BENCH_GEN_CONTEXT=1024; ~7 min on 2 cores)
#   scripts/bench.sh ab DIST_A DIST_B [WORKLOAD [ROUNDS]]  # two builds of bin/pxnode's home, same
#                                                        # load: paired overhead at c=1, alternating;
#                                                        # BENCH_AB_C="8" adds wrk rounds at c=8; each node
#                                                        # gets BENCH_HTTP_PREWARM_S of wrk at c=8 first;
#                                                        # BENCH_PIN_CPU=0 runs nodes and client on CPU 0
#
# For each crypto provider it starts the distribution (bin/pxnode serve, CPU provider) on
# 127.0.0.1, then NodeBench (node-daemon test class) measures, back to back for every workload and
# concurrency: ORT alone and ORT + one signature under the node's own session settings and run
# permits (ort, ort+sign), the service without HTTP, the limit, its reference, and the node over
# HTTP (wrk + scripts/bench/post.lua). The tables come last (scripts/bench/report.py).
#
# The limit (issue 17) is ONNX Runtime at its best configuration on the same cores, not under the
# node's permits, plus one signature with the fastest provider that loads (ACCP, else the JDK):
#   best-ort   ORT Java alone; candidates: one session, no bound on concurrent runs, intra-op
#              threads 1 or the cores (node's deterministic flag, sequential); lines best-ort@i1,
#              best-ort@iN per candidate and best-ort = the one with the most requests/s
#   best       the same candidates, each call one run + one signature: the limit (best@i1, best@iN, best)
#   ortnode    independent reference: onnxruntime-node (scripts/bench/ort_reference.mjs, packages
#              from bash scripts/refs.sh) on the same model and body, intra-op 1 or the cores, the
#              best of them; skipped with a warning when node or the package is missing
#   floor      (only when the plan names it) best's run at intra-op 1 + one signature served by
#              bare Netty HTTP in NodeBench with an answer of the node's size, under the same wrk
#              load as http: what any server reaches over loopback on these cores ("The HTTP floor")
# Before measuring, the node gets BENCH_HTTP_PREWARM_S of wrk at c=8 per workload (its JIT keeps
# compiling for ~40-60 s of load: 188 → 290 req/s at c=8 meanwhile; on the AMD host the C2
# compiler was 7.4 % of the node's CPU after 30 s, 0.1 % after 60 s). Settings:
#
#   BENCH_PROVIDERS="jdk accp"         crypto providers, one node each
#   BENCH_REPEATS=3                    repeats of every point (medians and min-max spread)
#   BENCH_WINDOW_MS=1000               measured window per point (wrk: whole seconds, at least 1)
#   BENCH_WARMUP_MS=300                warm-up per in-process point
#   BENCH_WORKLOADS=add,minilm-16,minilm-128
#   BENCH_PLAN="ort:1,8 ort+sign:1,8 engine:8 service:1,8 best-ort:1,8 best:1,8 ortnode:8 http:1,2,8,32 sign:1,8 signer:1 paired-service:1 paired-http:1"
#   BENCH_MIN_PER_CLIENT=1             a window lasts until each client could finish this many
#   BENCH_PREWARM_MS=2000              in-process JIT warm-up per workload (service and ort+sign, 2 threads)
#   BENCH_HTTP_PREWARM_S=60            the node's warm-up over HTTP per workload (wrk, c=8)
#   BENCH_JAVA_OPTS=""                 extra JVM options for the node (e.g. JFR)
#   BENCH_SKIP_BUILD=1                 reuse the last build
#   PXNODE_*                           node settings, applied to the node and to the in-process loops
#                                      alike (e.g. PXNODE_ENGINE_MAX_CONCURRENCY_PER_INSTANCE=2)
#
# Everything lands in node-daemon/target/bench/ (results.tsv, node-*.log, jmh-*.json). The default
# run takes about eleven minutes on 2 cores. Traffic goes to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh

what=${1:-node}
case "$what" in node | jmh | all | profile | ab | embeddings | generation) ;; *)
  echo "usage: scripts/bench.sh [node|jmh|all|embeddings|generation|profile [WORKLOAD [C [SECONDS]]]|ab DIST_A DIST_B [WORKLOAD [ROUNDS]]]" >&2
  exit 2
  ;;
esac

providers=${BENCH_PROVIDERS:-jdk accp}
repeats=${BENCH_REPEATS:-3}
window=${BENCH_WINDOW_MS:-1000}
warmup=${BENCH_WARMUP_MS:-300}
workloads=${BENCH_WORKLOADS:-add,minilm-16,minilm-128}
plan=${BENCH_PLAN:-ort:1,8 ort+sign:1,8 engine:8 service:1,8 best-ort:1,8 best:1,8 ortnode:8 http:1,2,8,32 sign:1,8 signer:1 paired-service:1 paired-http:1}
min_per_client=${BENCH_MIN_PER_CLIENT:-1}
prewarm=${BENCH_PREWARM_MS:-2000}
http_prewarm=${BENCH_HTTP_PREWARM_S:-60}
dir=$PWD/node-daemon/target/bench

# wrk and curl come from Debian; installed here when missing (as .ci/run does for the tests)
missing=()
for tool in wrk curl python3; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ] && command -v apt-get >/dev/null; then
  echo "bench: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" ||
    { $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"; }
fi
for tool in wrk jcmd curl python3; do
  command -v "$tool" >/dev/null || {
    echo "bench: $tool is missing (apt-get install -y wrk curl python3; jcmd comes with the JDK)" >&2
    exit 2
  }
done

if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  echo "bench: building (package without tests) ..."
  ./mvnw -B -ntp -q -DskipTests package dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
fi
# ONNX Runtime's native init overflows the default 1 MiB main-thread stack when -cp is a long
# command-line argument (measured: crash above ~3.4 KB of class path); CLASSPATH is not affected.
daemon_cp="node-daemon/target/test-classes:node-daemon/target/classes:$(cat node-daemon/target/bench-classpath.txt)"

machine() {
  echo "machine: $(nproc) x $(sed -n 's/^model name\t*: //p' /proc/cpuinfo | head -n 1)," \
    "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -sr)"
  echo "java: $(java -version 2>&1 | head -n 1); git: $(git rev-parse --short HEAD)$(git diff --quiet || echo '+dirty')"
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
}

run_jmh() {
  local gpu_cp
  gpu_cp="node-gpu/target/test-classes:node-gpu/target/classes:$(cat node-gpu/target/bench-classpath.txt)"
  local jmh=(-f 1 -wi 2 -w 1s -i 3 -r 1s)
  echo "== JMH: ProtocolBenchmark (node-daemon: request decoding, envelope JSON)"
  CLASSPATH="$daemon_cp" java --enable-native-access=ALL-UNNAMED org.openjdk.jmh.Main ProtocolBenchmark \
    "${jmh[@]}" -rf json -rff "$dir/jmh-protocol.json"
  echo "== JMH: EngineBenchmark (node-gpu: tensor building, safetensors encoding, add end to end)"
  CLASSPATH="$gpu_cp" java --enable-native-access=ALL-UNNAMED org.openjdk.jmh.Main EngineBenchmark \
    "${jmh[@]}" -jvmArgsAppend -Xss4m -rf json -rff "$dir/jmh-engine.json"
  echo "== JMH: GenerationLoopBenchmark (node-gpu: the decode loop per token outside ORT, vocabulary 32,000)"
  CLASSPATH="$gpu_cp" java --enable-native-access=ALL-UNNAMED org.openjdk.jmh.Main GenerationLoopBenchmark \
    "${jmh[@]}" -jvmArgsAppend -Xss4m -rf json -rff "$dir/jmh-generation.json"
  echo "== JMH: GenerationChunkBenchmark (node-daemon: one streamed token's SSE event)"
  CLASSPATH="$daemon_cp" java --enable-native-access=ALL-UNNAMED org.openjdk.jmh.Main GenerationChunkBenchmark \
    "${jmh[@]}" -rf json -rff "$dir/jmh-generation-chunk.json"
  echo "== JMH: CryptoBenchmark (node-crypto: PoE, ResultSigner.sign, raw signing; RSA-3072 PS256)"
  scripts/bench-crypto.sh 'CryptoBenchmark\.(poe|sign|rawSignFreshTranslatedKey)$' \
    -p bits=3072 -p alg=PS256 -p size=1024,65536,4194304
  cp node-crypto/target/jmh-result.json "$dir/jmh-crypto.json"
}

mkdir -p "$dir"
machine | tee "$dir/machine.txt"
if [ "$what" = jmh ]; then
  run_jmh
  python3 scripts/bench/report.py --jmh "$dir"
  exit 0
fi

all_workloads=$workloads
[ "$what" = profile ] && all_workloads=${2:-add}
[ "$what" = ab ] && all_workloads=${4:-add}
CLASSPATH="$daemon_cp" java io.parallelix.node.daemon.bench.BenchSetup --dir "$dir" --workloads "$all_workloads"
cat >"$dir/node.yaml" <<EOF
# scripts/bench.sh: a CPU node on loopback; every other key is the built-in default.
listen: "127.0.0.1:0"
data_dir: "$dir"
key:
  file: "$dir/node-key.pem"
  generate: false
engine:
  models_dir: "$dir/models"
  default_model: false
  provider: cpu
EOF

node_pid=
stop_node() {
  if [ -n "$node_pid" ]; then
    kill -TERM "$node_pid" 2>/dev/null || true
    wait "$node_pid" 2>/dev/null || true
    node_pid=
  fi
}
trap stop_node EXIT

start_node() { # $1 = crypto provider, $2 = extra JVM options, $3 = distribution; sets node_pid and port
  local log=$dir/node-$1${3:+-$(basename "$3")}.log
  echo "== provider $1: starting the node ${3:-} (log: $log)"
  PXNODE_KEY_CRYPTO_PROVIDER=$1 PXNODE_JAVA_OPTS="${PXNODE_JAVA_OPTS:--XX:+UseG1GC -XX:MaxRAMPercentage=50} $2" \
    ${pin:-} "${3:-node-daemon/target/pxnode}/bin/pxnode" serve --config "${node_yaml:-$dir/node.yaml}" >"$log" 2>&1 &
  node_pid=$!
  port=
  for _ in $(seq 1 600); do
    port=$(sed -n 's/.*listening on \/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log" | head -n 1)
    if [ -n "$port" ] && curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null; then
      return 0
    fi
    kill -0 "$node_pid" 2>/dev/null || {
      cat "$log" >&2
      exit 1
    }
    sleep 0.2
  done
  echo "bench: the node did not become ready (log: $log)" >&2
  exit 1
}

wrk_post() { # $1 = workload, $2 = connections, $3 = seconds
  local model=${1%%-*}
  BENCH_BODY=$dir/bodies/$1.json BENCH_PATH=/v2/models/$model/infer BENCH_MAX=0 \
    ${pin:-} wrk -t1 -c"$2" -d"$3"s --timeout 60s -s "$PWD/scripts/bench/post.lua" "http://127.0.0.1:$port" | grep '^WRK'
}

warm_node() { # $1 = workload, $2 = connections, $3 = seconds: wrk runs of at most 5 s (WrkLoad.warm:
  # the JIT sees connections close and loops idle before anything is measured)
  local left=$3 s
  while [ "$left" -gt 0 ]; do
    s=$((left < 5 ? left : 5))
    wrk_post "$1" "$2" "$s" >/dev/null
    left=$((left - s))
  done
}

if [ "$what" = embeddings ]; then
  # The bundled model as a fresh node installs it (default_model: true, empty models dir).
  edir=$dir/embeddings provider=${providers%% *}
  rm -rf "$edir/models"
  mkdir -p "$edir"
  cat >"$edir/node.yaml" <<EOF
listen: "127.0.0.1:0"
data_dir: "$edir"
key:
  file: "$dir/node-key.pem"
  generate: false
engine:
  provider: cpu
EOF
  node_yaml=$edir/node.yaml start_node "$provider" "${BENCH_JAVA_OPTS:-}"
  CLASSPATH="$daemon_cp" java --enable-native-access=ALL-UNNAMED -Xss4m io.parallelix.node.daemon.bench.EmbeddingBench \
    --config "$edir/node.yaml" --node-url "http://127.0.0.1:$port" --node-pid "$node_pid" \
    --lua "$PWD/scripts/bench/post.lua" --dir "$edir/bodies" \
    --workloads "${BENCH_EMB_WORKLOADS:-emb-16,emb-256,emb-batch32}" --concurrency "${BENCH_EMB_C:-1,8}" \
    --repeats "$repeats" --seconds "${BENCH_EMB_SECONDS:-3}" | tee "$edir/results.txt"
  exit 0
fi

if [ "$what" = generation ]; then
  # The bench's Llama (node-gpu TestDecoders.llamaBench, written once, then reused) alone in its
  # own models dir; a 128-token generation takes seconds, so the request timeout is raised.
  gdir=$dir/generation provider=${providers%% *}
  mkdir -p "$gdir/models"
  CLASSPATH="$daemon_cp" java io.parallelix.node.daemon.bench.GenerationSetup --models "$gdir/models"
  cat >"$gdir/node.yaml" <<EOF
listen: "127.0.0.1:0"
data_dir: "$gdir"
key:
  file: "$dir/node-key.pem"
  generate: false
engine:
  models_dir: "$gdir/models"
  default_model: false
  provider: cpu
server:
  request_timeout: 600s
EOF
  node_yaml=$gdir/node.yaml start_node "$provider" "${BENCH_JAVA_OPTS:-}"
  CLASSPATH="$daemon_cp" java --enable-native-access=ALL-UNNAMED -Xss4m io.parallelix.node.daemon.bench.GenerationBench \
    --config "$gdir/node.yaml" --node-url "http://127.0.0.1:$port" --node-pid "$node_pid" \
    --modes "${BENCH_GEN_MODES:-limit,engine,http,sse}" --concurrency "${BENCH_GEN_C:-1,4}" \
    --repeats "${BENCH_GEN_REPEATS:-3}" --prompt "${BENCH_GEN_PROMPT:-128}" --tokens "${BENCH_GEN_TOKENS:-128}" \
    --per-client "${BENCH_GEN_PER_CLIENT:-2}" --context "${BENCH_GEN_CONTEXT:-1024}" | tee "$gdir/results.txt"
  exit 0
fi

if [ "$what" = profile ]; then
  workload=${2:-add} c=${3:-1} secs=${4:-20} provider=${providers%% *}
  jfr=$dir/profile-$workload-c$c-$provider.jfr
  warm=${BENCH_PROFILE_WARMUP_S:-10}
  if [ "${BENCH_PROFILER:-jfr}" = async ]; then
    command -v jattach >/dev/null || {
      echo "bench: BENCH_PROFILER=async needs jattach (apt-get install -y jattach)" >&2
      exit 2
    }
    ap=$dir/async-profiler
    mkdir -p "$ap"
    ./mvnw -B -ntp -q dependency:copy -Dartifact=tools.profiler:async-profiler:4.2 -DoutputDirectory="$ap" >/dev/null
    (cd "$ap" && unzip -q -o async-profiler-4.2.jar 'linux-x64/*')
    start_node "$provider" "-XX:+EnableDynamicAgentLoading ${BENCH_JAVA_OPTS:-}"
    echo "warming up ($workload, c=$c, $warm s) ..."
    warm_node "$workload" "$c" "$warm"
    collapsed=$dir/profile-$workload-c$c-$provider.collapsed
    jattach "$node_pid" load "$ap/linux-x64/libasyncProfiler.so" true start,event=itimer,interval=1ms >/dev/null
    read -r u0 s0 < <(awk '{print $14, $15}' "/proc/$node_pid/stat")
    out=$(wrk_post "$workload" "$c" "$secs")
    read -r u1 s1 < <(awk '{print $14, $15}' "/proc/$node_pid/stat")
    jattach "$node_pid" load "$ap/linux-x64/libasyncProfiler.so" true "stop,file=$collapsed,collapsed" >/dev/null
    n=$(echo "$out" | sed 's/.*requests=\([0-9]*\).*/\1/')
    echo "$out"
    echo "node CPU per request: user $(((u1 - u0) * 10000 / n)) us, system $(((s1 - s0) * 10000 / n)) us; stacks: $collapsed"
    python3 scripts/bench/cpu_by_part.py "$collapsed" "$(((u1 - u0 + s1 - s0) * 10000 / n))"
    exit 0
  fi
  start_node "$provider" "${BENCH_JAVA_OPTS:-}"
  echo "warming up ($workload, c=$c, $warm s) ..."
  warm_node "$workload" "$c" "$warm"
  # CPU-time sampling (JDK 25+: jdk.CPUTimeSample, native frames included) on top of 'profile'
  if jfr configure --input profile jdk.CPUTimeSample#enabled=true jdk.CPUTimeSample#throttle=2ms \
    --output "$dir/cpu.jfc" >/dev/null 2>&1; then settings=$dir/cpu.jfc event=jdk.CPUTimeSample; else
    settings=profile event=jdk.ExecutionSample
  fi
  jcmd "$node_pid" JFR.start name=bench settings="$settings" >/dev/null
  read -r u0 s0 < <(awk '{print $14, $15}' "/proc/$node_pid/stat")
  out=$(wrk_post "$workload" "$c" "$secs")
  read -r u1 s1 < <(awk '{print $14, $15}' "/proc/$node_pid/stat")
  jcmd "$node_pid" JFR.dump name=bench filename="$jfr" >/dev/null
  n=$(echo "$out" | sed 's/.*requests=\([0-9]*\).*/\1/')
  echo "$out"
  echo "node CPU per request: user $(((u1 - u0) * 10000 / n)) us, system $(((s1 - s0) * 10000 / n)) us; JFR: $jfr"
  python3 scripts/bench/jfr_top.py "$jfr" --event "$event" --top 40 \
    --match 'parallelix|netty|jackson|logback|prometheus|Base64|MessageDigest|RSACore|Signature|OrtSession|CompletableFuture'
  exit 0
fi

if [ "$what" = ab ]; then
  [ -x "${2:-}/bin/pxnode" ] && [ -x "${3:-}/bin/pxnode" ] || {
    echo "bench: ab needs two distribution directories (each with bin/pxnode)" >&2
    exit 2
  }
  workload=${4:-add} provider=${providers%% *}
  # BENCH_PIN_CPU=0: both nodes, their warm-up and the c=1 client on that one CPU (taskset): the
  # node's own overhead without the host's cross-CPU wake-ups (scripts/bench/pingpong.py measures
  # those); leave BENCH_AB_C unset then, c=8 on one CPU says nothing
  pin=${BENCH_PIN_CPU:+taskset -c $BENCH_PIN_CPU}
  start_node "$provider" "${BENCH_JAVA_OPTS:-}" "$2"
  pid_a=$node_pid port_a=$port
  node_pid=
  start_node "$provider" "${BENCH_JAVA_OPTS:-}" "$3"
  pid_b=$node_pid port_b=$port
  trap 'kill -TERM $pid_a $pid_b 2>/dev/null; wait $pid_a $pid_b 2>/dev/null || true' EXIT
  node_pid=
  # BENCH_HTTP_PREWARM_S of wrk at c=8 on each node first: the JIT's warm-up, not the change, would
  # otherwise fill the first rounds
  for port in "$port_a" "$port_b"; do
    echo "warming up $([ "$port" = "$port_a" ] && echo A || echo B) ($workload, c=8, $http_prewarm s) ..."
    warm_node "$workload" 8 "$http_prewarm"
  done
  CLASSPATH="$daemon_cp" ${pin:-} java io.parallelix.node.daemon.bench.AbCompare --a "http://127.0.0.1:$port_a" --a-pid "$pid_a" \
    --b "http://127.0.0.1:$port_b" --b-pid "$pid_b" --model "${workload%%-*}" --body "$dir/bodies/$workload.json" \
    --rounds "${5:-10}" --window-ms "$window"
  # BENCH_AB_C="8": throughput at these concurrencies too, wrk rounds alternating between A and B
  for c in ${BENCH_AB_C:-}; do
    secs=$(((window + 999) / 1000))
    for r in $(seq 1 "${5:-10}"); do
      for side in a b; do
        [ $((r % 2)) = 0 ] && side=$([ "$side" = a ] && echo b || echo a)
        port=$([ "$side" = a ] && echo "$port_a" || echo "$port_b")
        line=$(wrk_post "$workload" "$c" "$secs")
        rate=$(sed -n 's/.*requests=\([0-9]*\) duration_us=\([0-9]*\).*/\1 \2/p' <<<"$line" | awk '{printf "%.1f", $1 * 1e6 / $2}')
        echo "ab c=$c round $r $side req/s $rate $line"
      done
    done | tee "$dir/ab-c$c.txt"
    for side in a b; do
      awk -v s="$side" '$5 == s { print $7 }' "$dir/ab-c$c.txt" | sort -n |
        awk -v s="$side" -v c="$c" '{ v[NR] = $1 } END { printf "%s c=%s: median %.1f req/s over %d rounds [%.1f-%.1f]\n",
          toupper(s), c, v[int((NR + 1) / 2)], NR, v[1], v[NR] }'
    done
  done
  echo "A = $2, B = $3; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  exit 0
fi

results=$dir/results.tsv
: >"$results"

for provider in $providers; do
  start_node "$provider" "${BENCH_JAVA_OPTS:-}"
  echo "node pid $node_pid on 127.0.0.1:$port; measuring (repeats $repeats, window ${window} ms) ..."
  PXNODE_KEY_CRYPTO_PROVIDER=$provider CLASSPATH="$daemon_cp" java --enable-native-access=ALL-UNNAMED \
    io.parallelix.node.daemon.bench.NodeBench --config "$dir/node.yaml" --bodies "$dir/bodies" \
    --node-url "http://127.0.0.1:$port" --node-pid "$node_pid" --lua "$PWD/scripts/bench/post.lua" \
    --workloads "$workloads" --plan "$plan" --repeats "$repeats" --window-ms "$window" \
    --warmup-ms "$warmup" --prewarm-ms "$prewarm" --http-prewarm-s "$http_prewarm" \
    --ort-reference "$PWD/scripts/bench/ort_reference.mjs" --min-requests-per-client "$min_per_client" \
    2>"$dir/nodebench-$provider.log" |
    tee -a "$results" | awk -F'\t' '$1 == "RESULT" {printf "  %-12s %-10s %-4s c=%-2s r%s %8s req/s p50 %9s us\n", $2, $3, $4, $5, $6, $10, $11; fflush()}'
  grep '^bench: ' "$dir/nodebench-$provider.log" >&2 || true # best's signing provider, a skipped ortnode
  stop_node
done

if [ "$what" = all ]; then
  run_jmh
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$dir/machine.txt"
python3 scripts/bench/report.py "$dir"
