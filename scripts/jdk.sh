# shellcheck shell=bash
# Sourced by the other scripts: exports JAVA_HOME pointing at a JDK 21 or newer.
# Looks at $JAVA_HOME first, then /usr/lib/jvm/* (newest first), then `java` on PATH.

_pxnode_java_major() { # prints the feature version of the JDK at $1, or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

_pxnode_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/* 2>/dev/null | sort -rV) \
      "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$candidate" ] || continue
    major=$(_pxnode_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if PXNODE_JDK=$(_pxnode_find_jdk); then
  export JAVA_HOME="$PXNODE_JDK"
  export PATH="$JAVA_HOME/bin:$PATH"
else
  echo "pxnode: no JDK 21 or newer found (looked at \$JAVA_HOME and /usr/lib/jvm/*)." >&2
  echo "pxnode: install one, e.g. 'apt-get install openjdk-21-jdk-headless' or Temurin 21 from https://adoptium.net," >&2
  echo "pxnode: or point JAVA_HOME at it." >&2
  return 1 2>/dev/null || exit 1
fi
