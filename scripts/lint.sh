#!/usr/bin/env bash
# Lints what the Java build does not see: shell scripts (shellcheck) and the Dockerfile
# (dockerfile-utils, the linter behind VS Code's Docker support; hadolint has no Debian or npm
# package). The systemd unit is checked by DeploymentIT (systemd-analyze verify). Installs the
# linters it lacks (they need the network, so this is not part of the tests); .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0

if ! command -v shellcheck >/dev/null; then
  apt-get install -y -qq shellcheck >/dev/null 2>&1 || sudo apt-get install -y -qq shellcheck >/dev/null
fi
echo "lint: shellcheck"
shellcheck -S warning scripts/*.sh scripts/pxnode .ci/run node-daemon/src/dist/bin/pxnode config/docker-entrypoint.sh \
  || status=1

lint_home="${XDG_CACHE_HOME:-$HOME/.cache}/pxnode-lint"
if [ ! -x "$lint_home/node_modules/.bin/dockerfile-utils" ]; then
  mkdir -p "$lint_home"
  npm install --silent --no-audit --no-fund --ignore-scripts --prefix "$lint_home" dockerfile-utils@0.16.3 >/dev/null
fi
echo "lint: dockerfile-utils config/Dockerfile"
out=$("$lint_home/node_modules/.bin/dockerfile-utils" lint config/Dockerfile)
if [ -n "$out" ]; then echo "$out"; status=1; fi

[ $status -eq 0 ] && echo "lint: clean"
exit $status
