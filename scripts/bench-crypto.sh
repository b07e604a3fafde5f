#!/usr/bin/env bash
# Runs node-crypto's JMH benchmark (CryptoBenchmark) and prints a table, PoE/SHA-256 also in MB/s.
#
#   scripts/bench-crypto.sh                    # everything, short settings (about 5 minutes)
#   scripts/bench-crypto.sh 'rawSign.*' -p provider=accp -i 5
#
# Arguments go to JMH (a benchmark regex, -p name=value, -f/-wi/-w/-i/-r ...); the defaults
# -f 1 -wi 2 -w 1s -i 3 -r 1s apply to whichever of those you do not give. Results: JSON in
# node-crypto/target/jmh-result.json. Single-threaded; close other work for stable numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh

declare -A defaults=([-f]=1 [-wi]=2 [-w]=1s [-i]=3 [-r]=1s)
for arg in "$@"; do
  unset "defaults[$arg]" 2>/dev/null || true
done
args=()
for opt in "${!defaults[@]}"; do
  args+=("$opt" "${defaults[$opt]}")
done

# -am: builds what the tests need from this checkout (nothing is installed into ~/.m2)
cpfile=node-crypto/target/bench-classpath.txt
./mvnw -B -ntp -q -pl node-crypto -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$cpfile"
cp="node-crypto/target/test-classes:node-crypto/target/classes:$(cat "$cpfile")"
result=node-crypto/target/jmh-result.json

echo "java: $(java -version 2>&1 | head -n 1); cpu: $(nproc) x $(sed -n 's/^model name\t*: //p' /proc/cpuinfo | head -n 1)"
echo "jmh: ${args[*]} $*"
java --enable-native-access=ALL-UNNAMED -cp "$cp" org.openjdk.jmh.Main \
  "${args[@]}" -rf json -rff "$result" "$@"

python3 - "$result" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
print()
print("| benchmark | params | ops/s | ± | MB/s |")
print("|---|---|---:|---:|---:|")
for r in rows:
    name = r["benchmark"].rsplit(".", 1)[1]
    params = r.get("params", {})
    m = r["primaryMetric"]
    score, err = float(m["score"]), float(m["scoreError"])
    err = "" if err != err else f"{err:,.0f}"  # NaN with a single iteration
    mbs = f"{score * int(params['size']) / 1e6:,.0f}" if "size" in params else ""
    p = " ".join(f"{k}={v}" for k, v in params.items())
    print(f"| {name} | {p} | {score:,.0f} | {err} | {mbs} |")
PY
