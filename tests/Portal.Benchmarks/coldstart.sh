#!/usr/bin/env bash
# Cold start of ./run.sh when everything is already installed, built and loaded: seconds from launching ./run.sh until
# /healthz answers 200. Runs ./run.sh once to prepare (install, build, demo data), then measures N starts.
#   tests/Portal.Benchmarks/coldstart.sh [runs, default 3]
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-3}
PORT=${PORTAL_PORT:-5090}
command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq curl >/dev/null; }

start_and_wait() {
  local t0 t1
  t0=$(date +%s.%N)
  PORTAL_PORT=$PORT ./run.sh > /tmp/portal-coldstart.log 2>&1 < /dev/null &
  local pid=$!
  until curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat /tmp/portal-coldstart.log; exit 1; }
    sleep 0.05
  done
  t1=$(date +%s.%N)
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true     # what run.sh does on Ctrl-C: stop the portal, then PostgreSQL
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f\n", b - a }'
}

echo "· preparing (first ./run.sh: install, build, demo data): $(start_and_wait) s"
for i in $(seq 1 "$RUNS"); do echo "· cold start $i: $(start_and_wait) s"; done
