#!/usr/bin/env bash
# Soak run (issue 7): the real distribution serving the generated "add" model and the bundled
# MiniLM on loopback, driven by wrk at constant concurrency with a mix of valid and invalid requests
# (scripts/soak/mix.lua), while heap, resident memory, direct buffers, file descriptors and threads
# are sampled. Netty's leak detector runs at paranoid. Then the hostile phase (issue 12,
# scripts/soak/hostile.py): unique unknown model names, pipelining bursts, oversized shapes and
# many big bodies at once, each counting requests sent against answers received, with RSS and the
# size of /metrics before and after. At the end the node gets SIGTERM and must drain and exit.
#
#   scripts/soak.sh                         # 10 minutes
#   SOAK_SECONDS=60 scripts/soak.sh         # a quick check
#
# Settings (environment): SOAK_SECONDS (600), SOAK_CONNECTIONS (64), SOAK_THREADS (wrk threads, 2),
# SOAK_SAMPLE_SECONDS (30), SOAK_DIR (where the node, its log and the samples go; default a new
# directory under target/soak), SOAK_JAVA_OPTS (the node's JVM options).
# SOAK_HOSTILE=0 skips the hostile phase.
# Exit status: 0 when every answer was 2xx/4xx, no 5xx, no socket errors, no LEAK line, memory
# within bounds, every hostile request answered (2xx, 4xx or 503) with RSS and /metrics flat, and a
# clean drain; 1 otherwise.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$root"

seconds=${SOAK_SECONDS:-600}
connections=${SOAK_CONNECTIONS:-64}
threads=${SOAK_THREADS:-2}
every=${SOAK_SAMPLE_SECONDS:-30}
java_opts=${SOAK_JAVA_OPTS:--XX:+UseG1GC -Xms512m -Xmx512m -Dio.netty.leakDetectionLevel=paranoid}
dir=${SOAK_DIR:-$root/target/soak/$(date +%Y%m%dT%H%M%S)}

command -v wrk >/dev/null || { echo "soak: needs wrk (apt-get install wrk)" >&2; exit 2; }
command -v curl >/dev/null || { echo "soak: needs curl" >&2; exit 2; }
. scripts/jdk.sh
launcher="$root/node-daemon/target/pxnode/bin/pxnode"
tests_jar=$(ls "$root"/node-gpu/target/node-gpu-*-tests.jar 2>/dev/null | head -n 1 || true)
if [ ! -x "$launcher" ] || [ -z "$tests_jar" ]; then
  echo "soak: building the distribution and node-gpu's test jar (./mvnw -DskipTests package)..." >&2
  ./mvnw -B -ntp -q -DskipTests -Dspotless.check.skip=true package >&2
  tests_jar=$(ls "$root"/node-gpu/target/node-gpu-*-tests.jar | head -n 1)
fi

mkdir -p "$dir/models"
java -cp "$tests_jar:$root/node-daemon/target/pxnode/lib/*" scripts/soak/WriteModels.java "$dir/models" >/dev/null
# the bundled MiniLM beside "add", with its config.yaml (pin and input bounds), as serve installs it
python3 - "$root/node-daemon/target/pxnode/lib" "$dir/models/all-minilm-l6-v2" <<'PY'
import glob, os, sys, zipfile
lib, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
for jar in glob.glob(os.path.join(lib, "*.jar")):
    with zipfile.ZipFile(jar) as z:
        for name, target in (("all-minilm-l6-v2.onnx", "model.onnx"), ("default-model/config.yaml", "config.yaml")):
            if name in z.namelist():
                with open(os.path.join(out, target), "wb") as f:
                    f.write(z.read(name))
PY
HOME="$dir" "$launcher" keygen --out "$dir/node-key.pem" >/dev/null
cat >"$dir/node.yaml" <<EOF
listen: "127.0.0.1:0"
data_dir: "$dir"
key: {file: "$dir/node-key.pem", generate: false}
engine: {models_dir: "$dir/models", provider: cpu, default_model: false}
server: {queue_capacity: $((connections * 2)), max_connections: $((connections + 64)), drain_timeout: 25s}
EOF

log="$dir/node.log"
env -u PXNODE_JAVA HOME="$dir" PXNODE_JAVA_OPTS="$java_opts" "$launcher" serve --config "$dir/node.yaml" >"$log" 2>&1 &
pid=$!
cleanup() { kill -KILL "$pid" 2>/dev/null || true; }
trap cleanup EXIT

port=
for _ in $(seq 1 600); do
  port=$(sed -n 's/.*serving on http:\/\/127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$log" | head -n 1)
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || { echo "soak: the node exited:" >&2; cat "$log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "soak: the node did not start" >&2; exit 1; }
base="http://127.0.0.1:$port"
echo "soak: node pid $pid on $base; ${seconds}s, $connections connections, $threads wrk threads; files in $dir"

metric() { # sum of a metric's samples whose line matches $1 (a grep -E pattern)
  curl -s --max-time 10 "$base/metrics" | grep -E "$1" | awk '{s += $NF} END {printf "%.0f", s}'
}
sample() { # t rss_kb heap_bytes heap_after_gc_bytes direct_bytes fds threads
  local t=$1 rss fds thr heap live direct
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
  thr=$(awk '/^Threads:/ {print $2}' "/proc/$pid/status")
  fds=$(ls "/proc/$pid/fd" | wc -l)
  heap=$(metric '^jvm_memory_used_bytes\{area="heap"')
  direct=$(metric '^jvm_buffer_pool_used_bytes\{pool="direct"')
  jcmd "$pid" GC.run >/dev/null 2>&1 || true
  live=$(metric '^jvm_memory_used_bytes\{area="heap"')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$rss" "$heap" "$live" "$direct" "$fds" "$thr"
}

samples="$dir/samples.tsv"
printf 't_s\trss_kb\theap_bytes\theap_after_gc_bytes\tdirect_bytes\tfds\tthreads\n' >"$samples"
sample 0 >>"$samples"
start=$(date +%s)
timeout $((seconds + 60)) wrk -t "$threads" -c "$connections" -d "${seconds}s" --timeout 10s --latency \
  -s scripts/soak/mix.lua "$base" >"$dir/wrk.txt" 2>&1 &
wrk_pid=$!
while kill -0 "$wrk_pid" 2>/dev/null; do
  sleep "$every"
  kill -0 "$wrk_pid" 2>/dev/null || break
  sample $(($(date +%s) - start)) >>"$samples"
done
wait "$wrk_pid" || true
sample $(($(date +%s) - start)) >>"$samples"

hostile_code=0
if [ "${SOAK_HOSTILE:-1}" != 0 ]; then
  echo "soak: hostile phase (scripts/soak/hostile.py)"
  python3 scripts/soak/hostile.py "$base" "$pid" --minilm all-minilm-l6-v2 | tee "$dir/hostile.txt" || hostile_code=$?
  printf 't_s\trss_kb\theap_bytes\theap_after_gc_bytes\tdirect_bytes\tfds\tthreads\n' >"$dir/samples-hostile.tsv"
  sample $(($(date +%s) - start)) >>"$dir/samples-hostile.tsv"
fi

curl -s --max-time 10 "$base/metrics" >"$dir/metrics.txt"
t0=$(date +%s%N)
kill -TERM "$pid"
code=0
wait "$pid" || code=$?
stop_ms=$((($(date +%s%N) - t0) / 1000000))
trap - EXIT

echo
echo "== wrk ($dir/wrk.txt)"
grep '^SOAK' "$dir/wrk.txt" | sed 's/^SOAK /  /'
echo "== node: pxnode_requests_total by endpoint and outcome"
grep -E '^pxnode_requests_total\{' "$dir/metrics.txt" | sed 's/^pxnode_requests_total//' | sort | sed 's/^/  /'
echo "== memory ($samples)"
column -t "$samples" | sed 's/^/  /'
[ -s "$dir/samples-hostile.tsv" ] && { echo "== memory after the hostile phase"; column -t "$dir/samples-hostile.tsv" | sed 's/^/  /'; }
leaks=$(grep -c 'LEAK:' "$log" || true)
echo "== Netty leak detector (paranoid): $leaks LEAK line(s) in $log"
echo "== SIGTERM: exited $code after ${stop_ms} ms"

fail=0
grep -qE '^SOAK status 5[0-9][0-9] ' "$dir/wrk.txt" && { echo "soak: FAIL: 5xx answers" >&2; fail=1; }
grep -qE '^SOAK socket_errors connect=0 read=0 write=0 timeout=0$' "$dir/wrk.txt" || { echo "soak: FAIL: socket errors" >&2; fail=1; }
[ "$leaks" = 0 ] || { echo "soak: FAIL: leak reports" >&2; fail=1; }
[ "$code" = 143 ] || { echo "soak: FAIL: exit status $code after SIGTERM" >&2; fail=1; }
[ "$hostile_code" = 0 ] || { echo "soak: FAIL: hostile phase (unanswered requests, 5xx other than 503, or growth between rounds)" >&2; fail=1; }
if [ -s "$dir/hostile.txt" ]; then
  echo "== hostile phase ($dir/hostile.txt)"
  sed 's/^HOSTILE /  /' "$dir/hostile.txt"
fi
# flat: the live heap (after a full GC) and RSS of the last sample within 25% / 64 MB of the
# first sample taken under load (the second row)
awk -F'\t' 'NR == 3 { h0 = $4; r0 = $2 } NR > 3 { h = $4; r = $2 }
  END { if (h == "") exit 0
        printf "== flatness: live heap %.1f -> %.1f MB, RSS %.1f -> %.1f MB\n", h0/1048576, h/1048576, r0/1024, r/1024
        if (h > h0 * 1.25 + 8388608 || r > r0 + 65536) { print "soak: FAIL: memory grew"; exit 1 } }' "$samples" || fail=1
[ "$fail" = 0 ] && echo "soak: PASS" || echo "soak: FAIL"
exit "$fail"
