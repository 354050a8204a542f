#!/usr/bin/env bash
# One-time setup on a fresh Debian machine with Node 20: OS packages, npm packages, the model.
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

echo "setup: installing npm packages" >&2
npm ci --no-audit --no-fund
# npm 11 runs no install scripts unless approved; better-sqlite3 must compile its addon.
# onnxruntime-node's script is left unapproved on purpose: it would fetch GPU binaries from a
# host we cannot reach, and its bundled CPU build is what we use.
if ! node -e "require('better-sqlite3')(':memory:')" >/dev/null 2>&1; then
  echo "setup: building better-sqlite3" >&2
  npm rebuild better-sqlite3
fi

echo "setup: fetching and converting the default model (cached in .cache/models)" >&2
npm run --silent model
echo "setup: building the dashboard (dashboard/dist, served by the hub)" >&2
npm run --silent build
echo "setup: done" >&2
