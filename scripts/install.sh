#!/usr/bin/env bash
# Installs pxnode on a GPU host: the distribution in /opt/pxnode, a pxnode system user,
# /etc/pxnode/node.yaml (from config/node.example.yaml, kept if present), /var/lib/pxnode (0700),
# a node key (kept if present), and the systemd unit. It enables nothing; it prints what to run.
#
#   sudo scripts/install.sh                 # after ./mvnw -DskipTests package
#   sudo scripts/install.sh --dist DIR      # from an unpacked distribution elsewhere
#   scripts/install.sh --root /tmp/stage    # stage into a directory (no user, no systemctl)
set -euo pipefail

repo=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
dist="$repo/node-daemon/target/pxnode"
root=""
bits=3072

while [ $# -gt 0 ]; do
  case "$1" in
    --dist) dist="$2"; shift 2 ;;
    --root) root="${2%/}"; shift 2 ;;
    --bits) bits="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

[ -x "$dist/bin/pxnode" ] || { echo "install.sh: no distribution at $dist (run ./mvnw -DskipTests package)" >&2; exit 2; }
staged=false; [ -n "$root" ] && staged=true
if ! $staged && [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: run as root (or --root DIR to stage)" >&2; exit 2
fi

opt="$root/opt/pxnode"; etc="$root/etc/pxnode"; state="$root/var/lib/pxnode"; units="$root/etc/systemd/system"

echo "installing the distribution into $opt"
mkdir -p "$(dirname "$opt")"
rm -rf "$opt.new"
# staging links instead of copying 700 MB where it can (same file system); a real install copies
if ! { $staged && cp -al "$dist" "$opt.new" 2>/dev/null; }; then cp -a "$dist" "$opt.new"; fi
cp "$repo/README.md" "$opt.new/README.md" 2>/dev/null || true
rm -rf "$opt.old"
if [ -e "$opt" ]; then mv "$opt" "$opt.old"; fi
mv "$opt.new" "$opt"
rm -rf "$opt.old"

if ! $staged && ! id pxnode >/dev/null 2>&1; then
  echo "creating the pxnode system user"
  useradd --system --home-dir /var/lib/pxnode --shell /usr/sbin/nologin --user-group pxnode
  # the GPU device nodes belong to group video on some distributions
  getent group video >/dev/null && usermod -a -G video pxnode || true
fi

mkdir -p "$etc" "$state"
chmod 0700 "$state"
if [ ! -f "$etc/node.yaml" ]; then
  install -m 0644 "$repo/config/node.example.yaml" "$etc/node.yaml"
  echo "wrote $etc/node.yaml (edit listen, provider, models)"
else
  echo "kept $etc/node.yaml"
fi
install -m 0644 "$repo/config/pxnode.service" "$units/pxnode.service" 2>/dev/null || {
  mkdir -p "$units"; install -m 0644 "$repo/config/pxnode.service" "$units/pxnode.service"; }

key="$state/node-key.pem"
if [ -f "$key" ]; then
  echo "kept the node key $key"
else
  echo "generating the node key $key"
  if $staged; then
    "$opt/bin/pxnode" keygen --out "$key" --bits "$bits"
  else
    chown pxnode:pxnode "$state"
    runuser -u pxnode -- "$opt/bin/pxnode" keygen --out "$key" --bits "$bits"
  fi
fi
$staged || chown -R pxnode:pxnode "$state"

if ! $staged; then
  systemctl daemon-reload
  cat <<MSG

pxnode is installed. Put models in /var/lib/pxnode/models/<name>/model.onnx, check with
  sudo -u pxnode /opt/pxnode/bin/pxnode self-test --config /etc/pxnode/node.yaml
then start it:
  systemctl enable --now pxnode && journalctl -u pxnode -f
MSG
fi
