#!/usr/bin/env bash
# Installs Byliv on a Debian / Raspberry Pi OS box from a built checkout (run `npm run setup`
# on any machine first: it builds dist/ and fetches the model into .cache/models).
#   sudo deploy/install.sh edge    # the agent: /opt/byliv, user byliv, byliv-edge@.service
#   sudo deploy/install.sh hub     # the hub:   /opt/byliv, user byliv, byliv-hub.service
# Needs Node 20 or newer (22 LTS recommended) at /usr/bin/node and npm. Safe to run again.
set -euo pipefail

role=${1:-}
if [ "$role" != edge ] && [ "$role" != hub ]; then
  echo "usage: $0 edge|hub" >&2
  exit 2
fi
[ "$(id -u)" -eq 0 ] || { echo "install.sh: run as root (sudo)" >&2; exit 1; }
src=$(cd "$(dirname "$0")/.." && pwd)
prefix=/opt/byliv

for built in protocol/dist/index.js models/dist/index.js edge/dist/cli.js hub/dist/cli.js; do
  [ -f "$src/$built" ] || { echo "install.sh: $src/$built is missing: run 'npm run build' first" >&2; exit 1; }
done
if [ "$role" = edge ] && [ ! -f "$src/.cache/models/nanodet-m/manifest.json" ]; then
  echo "install.sh: no model in $src/.cache/models: run 'npm run setup' (or 'npm run model') first" >&2
  exit 1
fi
command -v node >/dev/null || { echo "install.sh: node not found; install Node 22 LTS (apt install nodejs npm)" >&2; exit 1; }

need=()
[ "$role" = edge ] && ! command -v ffmpeg >/dev/null && need+=(ffmpeg)
# better-sqlite3 compiles on boxes without a prebuilt binary (Raspberry Pi OS on armv7).
command -v g++ >/dev/null || need+=(g++ make python3)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

id byliv >/dev/null 2>&1 || useradd --system --home-dir /var/lib/byliv --shell /usr/sbin/nologin byliv

# The checkout without development files; then production packages only (no tsx, no TypeScript).
mkdir -p "$prefix"
tar -C "$src" --exclude=./node_modules --exclude='*/node_modules' --exclude=./.git \
  --exclude=./test-results --exclude='*.sqlite*' -cf - . | tar -C "$prefix" -xf -
(cd "$prefix" && ONNXRUNTIME_NODE_INSTALL=skip NPM_CONFIG_UPDATE_NOTIFIER=false npm ci --omit=dev --no-audit --no-fund)
chown -R root:root "$prefix"

install -d -m 0750 -o byliv -g byliv /var/lib/byliv "/var/lib/byliv/$role"
install -d -m 0750 -o root -g byliv /etc/byliv
if [ "$role" = edge ]; then
  install -d -m 0750 -o root -g byliv /etc/byliv/edge
  install -m 0644 "$src/deploy/systemd/byliv-edge@.service" "$src/deploy/systemd/byliv-edge.service" /etc/systemd/system/
  echo "install.sh: now write /etc/byliv/edge/<camera>.env (see deploy/README.md) and" >&2
  echo "  mkdir /var/lib/byliv/edge/<camera> && chown byliv: it, then systemctl enable --now byliv-edge@<camera>" >&2
else
  install -m 0644 "$src/deploy/systemd/byliv-hub.service" /etc/systemd/system/
  echo "install.sh: systemctl enable --now byliv-hub; register cameras with" >&2
  echo "  sudo -u byliv node $prefix/hub/bin/byliv-hub.js camera add --site S --camera C --data-dir /var/lib/byliv/hub" >&2
fi
systemctl daemon-reload 2>/dev/null || true
echo "install.sh: installed the $role in $prefix" >&2
