#!/usr/bin/env bash
# The test command: the whole build with every test, format check and enforcer rule.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
scripts/refs.sh   # the npm references some tests compare against
exec ./mvnw -B -ntp verify "$@"
