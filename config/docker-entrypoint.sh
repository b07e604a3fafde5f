#!/bin/sh
# Container entry point: runs pxnode from the distribution (PXNODE_HOME, /opt/pxnode in the image).
# With no arguments, or only options, it serves; `docker run IMAGE self-test` etc. run other commands.
set -eu
home="${PXNODE_HOME:-/opt/pxnode}"
if [ ! -x "$home/bin/pxnode" ]; then
  echo "pxnode-entrypoint: no distribution at $home (set PXNODE_HOME)" >&2
  exit 2
fi
if [ $# -eq 0 ]; then
  set -- serve --config /etc/pxnode/node.yaml
elif [ "${1#-}" != "$1" ] && [ "$1" != "--help" ] && [ "$1" != "--version" ]; then
  set -- serve "$@"
fi
exec "$home/bin/pxnode" "$@"
