#!/usr/bin/env bash
# RSA signing per JCA provider, side by side in one JVM (issue 17): the JDK's SunRsaSign, ACCP (the
# node's; AWS-LC), Conscrypt (Google; BoringSSL) and Bouncy Castle (pure Java), PS256 and RS256,
# 1 thread and every core. The last two are fetched from Maven Central into node-crypto/target only
# for this run; the node ships none of them but ACCP.
#
#   scripts/bench-signing.sh [BITS [SECONDS_PER_POINT]]     # default 3072 2 (about 1 minute)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
lib=node-crypto/target/signing-providers
mkdir -p "$lib"
for a in org.conscrypt:conscrypt-openjdk-uber:2.5.2 org.bouncycastle:bcprov-jdk18on:1.83 \
  software.amazon.cryptools:AmazonCorrettoCryptoProvider:2.5.0:jar:linux-x86_64; do
  ./mvnw -B -ntp -q dependency:copy -Dartifact="$a" -DoutputDirectory="$lib" >/dev/null
done
echo "java: $(java -version 2>&1 | head -n 1); cpu: $(nproc) x $(sed -n 's/^model name\t*: //p' /proc/cpuinfo | head -n 1)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
CLASSPATH="$(printf '%s:' "$lib"/*.jar)" java scripts/bench/SignProviders.java "${1:-3072}" "${2:-2}"
command -v openssl >/dev/null && openssl speed -seconds 2 -multi "$(nproc)" rsa"${1:-3072}" 2>/dev/null | tail -n 2
