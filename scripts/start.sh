#!/usr/bin/env bash
# npm start: installs what is missing, then runs the five-city consortium with demo data
# (scripts/start.ts) in the foreground until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/tsx ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[start] installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
exec node --import tsx scripts/start.ts "$@"
