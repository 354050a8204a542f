#!/usr/bin/env bash
# One-time setup on a fresh Debian machine with Node 20 or newer (22 LTS is the target): OS
# packages, npm packages, the model, and the build (dist/ of each package, the dashboard).
# Safe to run again: every step skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v ffmpeg >/dev/null 2>&1 || need_apt+=(ffmpeg)
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || need_apt+=(mosquitto)
# Debian's headless-capable Chromium: the dashboard's end-to-end tests drive it (playwright-core).
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
# PostgreSQL's server binaries (/usr/lib/postgresql/<major>/bin, off PATH): the hub's store tests
# also run against PostgreSQL. The package's own system cluster is not used; tests start their own.
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need_apt+=(postgresql)
# strace: the edge's egress test records every connect and file write of the real agent.
command -v strace >/dev/null 2>&1 || need_apt+=(strace)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing OS packages: ${need_apt[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi
# The Debian mosquitto package starts a system broker on 1883; Byliv's tests start their own.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet mosquitto 2>/dev/null; then
  echo "setup: note: a system mosquitto is running on port 1883; the hub's default MQTT port is 1883 too" >&2
fi

# npm ci wipes and reinstalls node_modules (minutes): skip it while node_modules holds an install
# of this very lock file. The stamp is written only after npm ci succeeded.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
lock_stamp=node_modules/.byliv-lock-hash
if [ -f "$lock_stamp" ] && [ "$(cat "$lock_stamp")" = "$lock_hash" ]; then
  echo "setup: npm packages already match package-lock.json, skipping npm ci (delete $lock_stamp to force it)" >&2
else
  echo "setup: installing npm packages (npm ci)" >&2
  # onnxruntime-node's postinstall fetches CUDA binaries from api.nuget.org; we use its bundled
  # CPU build. package.json's allowScripts denies that script on npm 11; npm 10 (Node 20's own)
  # knows no allowScripts, and the script itself honours this variable.
  ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund
  echo "$lock_hash" >"$lock_stamp"
fi
# better-sqlite3's addon must match this Node: rebuild it when it does not load (Node upgraded
# since the install, or an install that did not run its build script).
if ! node -e "require('better-sqlite3')(':memory:')" >/dev/null 2>&1; then
  echo "setup: building better-sqlite3" >&2
  npm rebuild better-sqlite3
fi

echo "setup: fetching and converting the default model (cached in .cache/models)" >&2
npm run --silent model
echo "setup: building dist/ of protocol, models, edge and hub (tsc), and the dashboard (dashboard/dist, served by the hub)" >&2
npm run --silent build
bash scripts/demo-video.sh >/dev/null || echo "setup: no demo video yet (npm run demo tries again)" >&2
echo "setup: done" >&2
