#!/usr/bin/env bash
# Regenerates docs/test-vectors/poe-v1.json and poe-v2.json (the same cases under PoE v2) with
# node-crypto's own code (TestVectorGenerator),
# docs/test-vectors/openai-stream-v1.json (signed SSE streams, StreamVectorGenerator) likewise, and
# docs/test-vectors/openai-embeddings-v1.json (PoE in headers of OpenAI-shaped answers) with the
# daemon's (OpenAiVectorGenerator), all under the same key.
# Keeps the TEST-ONLY key already in the file (so RS256 bytes stay the same) unless --new-key:
# then openssl makes a fresh 3072-bit one. PS256 signatures change on every run (random salt).
#
#   scripts/gen-test-vectors.sh [--new-key]
#
# Afterwards: python3 scripts/verify_envelope.py --vectors docs/test-vectors/poe-v1.json
#             python3 scripts/verify_envelope.py --vectors docs/test-vectors/poe-v2.json
#             python3 scripts/verify_envelope.py --vectors docs/test-vectors/openai-embeddings-v1.json
#             python3 scripts/verify_envelope.py --vectors docs/test-vectors/openai-stream-v1.json
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh

out=docs/test-vectors/poe-v1.json
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 700 "$work"

if [ "${1:-}" = "--new-key" ] || [ ! -f "$out" ]; then
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$work/key.pem" 2>/dev/null
else
  python3 -c 'import json,sys; sys.stdout.write(json.load(open(sys.argv[1]))["key"]["private_key_pem"])' \
    "$out" >"$work/key.pem"
fi
chmod 600 "$work/key.pem"

# -am: builds what the tests need from this checkout (nothing is installed into ~/.m2)
./mvnw -B -ntp -q -pl node-crypto -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp.txt"
cp="node-crypto/target/classes:node-crypto/target/test-classes:$(cat "$work/cp.txt")"
mkdir -p docs/test-vectors
java -cp "$cp" io.parallelix.node.crypto.TestVectorGenerator "$work/key.pem" "$out"
java -cp "$cp" io.parallelix.node.crypto.TestVectorGenerator "$work/key.pem" docs/test-vectors/poe-v2.json 2
java -cp "$cp" io.parallelix.node.crypto.StreamVectorGenerator "$out" docs/test-vectors/openai-stream-v1.json

# The daemon's classes and test fixtures (its generator writes bodies and heads as the node does).
./mvnw -B -ntp -q -pl node-daemon -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp-daemon.txt"
cp="node-daemon/target/classes:node-daemon/target/test-classes:$(cat "$work/cp-daemon.txt")"
java -cp "$cp" io.parallelix.node.daemon.http.OpenAiVectorGenerator "$out" docs/test-vectors/openai-embeddings-v1.json
