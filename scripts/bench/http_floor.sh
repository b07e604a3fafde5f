#!/usr/bin/env bash
# The limit over HTTP (bench HttpFloor): the add model's run + one signature + a fixed answer of the
# node's size, served by bare Netty epoll on every core, under wrk c=8; prints req/s and CPU µs per
# request per window. Compare with the node's http figures: what the node cannot go above on this host.
# Side by side with the node and the limit in one run: scripts/bench.sh with "floor:1,8" in BENCH_PLAN.
# Needs a previous scripts/bench.sh run (node-daemon/target/bench: models, key, bodies, class path).
# Usage: scripts/bench/http_floor.sh  (FLOOR_WARM_S=30 FLOOR_WINDOWS=5 FLOOR_C=8 FLOOR_ANSWER_BYTES=1500)
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/jdk.sh
b=node-daemon/target/bench
cp="node-daemon/target/test-classes:node-daemon/target/classes:$(cat node-daemon/target/bench-classpath.txt)"
log=$b/http-floor.log
CLASSPATH="$cp" java -XX:+UseG1GC -Xss4m --enable-native-access=ALL-UNNAMED io.parallelix.node.daemon.bench.HttpFloor \
  --model "$b/models/add/model.onnx" --key "$b/node-key.pem" --answer-bytes "${FLOOR_ANSWER_BYTES:-2128}" >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
port=
for _ in $(seq 1 100); do
  port=$(sed -n 's/^listening \([0-9]*\)/\1/p' "$log")
  [ -n "$port" ] && break
  sleep 0.3
done
[ -n "$port" ] || { cat "$log" >&2; exit 1; }
w() {
  BENCH_BODY=$b/bodies/add.json BENCH_PATH=/v2/models/add/infer BENCH_MAX=0 \
    wrk -t1 -c"${FLOOR_C:-8}" -d"$1"s --timeout 60s -s scripts/bench/post.lua "http://127.0.0.1:$port" | grep '^WRK'
}
w "${FLOOR_WARM_S:-30}" >/dev/null
for _ in $(seq 1 "${FLOOR_WINDOWS:-5}"); do
  read -r u0 s0 < <(awk '{print $14, $15}' "/proc/$pid/stat")
  out=$(w 3)
  read -r u1 s1 < <(awk '{print $14, $15}' "/proc/$pid/stat")
  n=$(echo "$out" | sed 's/.*requests=\([0-9]*\).*/\1/')
  echo "floor c=${FLOOR_C:-8}: $((n / 3)) req/s, CPU $(((u1 - u0 + s1 - s0) * 10000 / n)) µs a request"
done
