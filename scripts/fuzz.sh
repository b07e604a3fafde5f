#!/usr/bin/env bash
# Fuzzes every Jazzer @FuzzTest of the repository for real, one after the other.
#
#   scripts/fuzz.sh [-t SECONDS] [FILTER]
#
#   -t SECONDS  how long each target fuzzes (default 60)
#   FILTER      only targets whose "module/Class#method" contains it, e.g. Safetensors or anyDer
#
# A normal `./mvnw verify` runs the same tests in regression mode: it replays the seeds and earlier
# findings committed under <module>/src/test/resources/<package>/<Class>Inputs/<method>/. Here
# JAZZER_FUZZ=1 makes Jazzer (libFuzzer inside the test JVM) generate inputs instead:
#   - a finding (an exception or failed assertion) stops that target; its input is written to
#     <module>/src/test/resources/<package>/<Class>Inputs/<method>/crash-<sha1>, where the normal
#     build replays it from then on: fix the bug, then keep the input (renamed to say what it is):
#     a text input as that file; a binary one as base64 in the class's binaryInputs(), which every
#     build replays (the repository holds no binary files);
#   - binaryInputs() (seeds made in code, binary findings) are written into the corpus below first;
#   - inputs that reached new coverage go to <module>/.cifuzz-corpus/<package>.<Class>/<method>/ (git-ignored),
#     so the next run starts from them;
#   - the whole log of each target is target/fuzz/<Class>#<method>.log.
# Exits 1 when any target had a finding. Needs no network once the build has its dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh

seconds=60
while getopts "t:h" opt; do
    case $opt in
        t) seconds=$OPTARG ;;
        *) sed -n '2,9p' "$0"; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
filter=${1:-}

# module/fully.qualified.Class#method for every method annotated @FuzzTest
targets=()
while IFS= read -r file; do
    module=${file%%/src/test/java/*}
    class=${file#*/src/test/java/}
    class=${class%.java}
    class=${class//\//.}
    for method in $(grep -A3 '@FuzzTest' "$file" | sed -n 's/^ *void \([A-Za-z0-9_]*\)(.*/\1/p'); do
        target="$module/$class#$method"
        [[ -z $filter || $target == *"$filter"* ]] && targets+=("$target")
    done
done < <(grep -rl --include='*.java' '@FuzzTest' node-*/src/test/java | sort)

if [[ ${#targets[@]} -eq 0 ]]; then
    echo "fuzz: no @FuzzTest matches '$filter'" >&2
    exit 2
fi

mkdir -p target/fuzz
echo "fuzz: ${#targets[@]} target(s), ${seconds}s each; building first"
./mvnw -B -ntp -q test-compile -Dspotless.check.skip >target/fuzz/build.log 2>&1 \
    || { echo "fuzz: build failed, see target/fuzz/build.log" >&2; exit 2; }

status=0
summary=()
for target in "${targets[@]}"; do
    module=${target%%/*}
    test=${target#*/}
    log="target/fuzz/${test##*.}.log"
    echo "fuzz: $test (${seconds}s) -> $log"
    set +e
    JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${seconds}s" ./mvnw -B -ntp -pl "$module" -am test \
        -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false -Dspotless.check.skip -Denforcer.skip \
        >"$log" 2>&1
    rc=$?
    set -e
    # libFuzzer's last status line: "#RUNS DONE cov: N ft: N corp: N/Nb ... exec/s: N rss: NMb"
    stats=$(grep -aE '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -n 1 \
        | sed -E 's/^#([0-9]+)[[:space:]]+[A-Z]+[[:space:]]+cov: ([0-9]+) ft: ([0-9]+) corp: ([0-9]+)\/[^ ]+.*exec\/s: ([0-9]+).*/\1 runs, cov \2, ft \3, corpus \4, \5 exec\/s/' || true)
    crash=$(grep -ao 'Test unit written to [^ ]*' "$log" | tail -n 1 | sed 's/Test unit written to //' || true)
    if [[ -n $crash ]]; then
        summary+=("FINDING  $test: $stats; input: $crash")
        status=1
    elif [[ $rc -ne 0 ]]; then
        summary+=("FAILED   $test (exit $rc, no input written; see $log)")
        status=1
    else
        summary+=("ok       $test: $stats")
    fi
done

echo
printf '%s\n' "${summary[@]}"
exit $status
