#!/usr/bin/env bash
# Load test of the catalogue against a Release build with wrk on loopback (docs/PERFORMANCE.md).
# Starts its own throwaway PostgreSQL, loads the demo catalogue ×10 (≥ 2,000 procedures), starts the portal with the
# TechEmpower-style /fortunes yardstick enabled, and measures each URL at 32 connections. Portal figures are also
# given as a ratio of /fortunes measured in the same run: the ratio, not the absolute number, is what runs compare.
#   tests/Portal.Benchmarks/load.sh [seconds per URL, default 20]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
. scripts/lib.sh
DURATION=${1:-20}
CONNECTIONS=32

ensure_dotnet
ensure_postgres
command -v wrk >/dev/null || apt_install wrk
command -v curl >/dev/null || apt_install curl

WORK=$(mktemp -d /tmp/portal-load.XXXXXX)
APP_PID=""; NOCACHE_PID=""
cleanup() {
  set +e     # a trap under set -e would stop at the first failing kill and leave PostgreSQL running
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null
  [ -n "$NOCACHE_PID" ] && kill "$NOCACHE_PID" 2>/dev/null && wait "$NOCACHE_PID" 2>/dev/null
  pg_stop "$WORK/pg/data"; rm -rf "$WORK"
}
trap cleanup EXIT
pg_scratch "$WORK" 56432 -c shared_buffers=256MB -c max_connections=200
psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE portal" >/dev/null
export ConnectionStrings__Portal="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=portal;Maximum Pool Size=64"

echo "· Release build"
dotnet publish src/Portal.Web/Portal.Web.csproj -c Release -o "$WORK/app" --nologo -v quiet
(cd "$WORK/app" && dotnet Portal.Web.dll import-catalogue "$ROOT/db/demo/catalogue.json" >/dev/null)

psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d portal -q -v ON_ERROR_STOP=1 -f tests/Portal.Benchmarks/multiply-catalogue.sql
PROCEDURES=$(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d portal -Atc "SELECT count(*) FROM portal.procedure")
CODE=$(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d portal -Atc "SELECT code FROM portal.procedure WHERE code LIKE '1.001193.%' ORDER BY code LIMIT 1")

start_portal() {  # $1 port, $2 catalogue cache on/off → pid
  (cd "$WORK/app" && ASPNETCORE_URLS="http://127.0.0.1:$1" Portal__EnableFortunes=true Portal__CatalogueCache="$2" \
     Logging__LogLevel__Default=Warning DOTNET_gcServer=1 exec dotnet Portal.Web.dll) > "$WORK/app-$1.log" 2>&1 &
  echo $!
}
wait_ready() { for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$1/healthz" >/dev/null && return; sleep 0.1; done; }
PORT=$(free_port 5180)
APP_PID=$(start_portal "$PORT" true)
wait_ready "$PORT"

measure() {  # $1 url → "requests/s p99-ms"
  wrk -t2 -c"$CONNECTIONS" -d5s "$1" >/dev/null            # warm-up: JIT, pools, caches
  local out rps p99
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$1")
  grep -qE 'Non-2xx|Socket errors' <<<"$out" && { echo "errors measuring $1:" >&2; echo "$out" >&2; }
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; print v}' <<<"$out")
  echo "$rps $p99"
}

echo "· $PROCEDURES procedures; wrk -t2 -c$CONNECTIONS -d${DURATION}s per URL"
read -r F_RPS F_P99 < <(measure "http://127.0.0.1:$PORT/fortunes")
read -r S_RPS S_P99 < <(measure "http://127.0.0.1:$PORT/thu-tuc?q=dang+ky")
read -r D_RPS D_P99 < <(measure "http://127.0.0.1:$PORT/api/v1/procedures/$CODE")
read -r H_RPS H_P99 < <(measure "http://127.0.0.1:$PORT/thu-tuc/$CODE")
kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; APP_PID=""

# The same search and detail with the catalogue cache off: what every first (uncached) request costs.
NOCACHE_PORT=$(free_port $((PORT + 1)))
NOCACHE_PID=$(start_portal "$NOCACHE_PORT" false)
wait_ready "$NOCACHE_PORT"
read -r F2_RPS F2_P99 < <(measure "http://127.0.0.1:$NOCACHE_PORT/fortunes")
read -r SU_RPS SU_P99 < <(measure "http://127.0.0.1:$NOCACHE_PORT/thu-tuc?q=dang+ky")
read -r DU_RPS DU_P99 < <(measure "http://127.0.0.1:$NOCACHE_PORT/api/v1/procedures/$CODE")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
cat <<EOT

| URL | requests/s | p99 (ms) | × fortunes |
|---|---:|---:|---:|
| /fortunes (yardstick) | $F_RPS | $F_P99 | 1.00 |
| /thu-tuc?q=dang+ky | $S_RPS | $S_P99 | $(ratio "$S_RPS" "$F_RPS") |
| /api/v1/procedures/$CODE | $D_RPS | $D_P99 | $(ratio "$D_RPS" "$F_RPS") |
| /thu-tuc/$CODE | $H_RPS | $H_P99 | $(ratio "$H_RPS" "$F_RPS") |
| *catalogue cache off:* /fortunes | $F2_RPS | $F2_P99 | 1.00 |
| *catalogue cache off:* /thu-tuc?q=dang+ky | $SU_RPS | $SU_P99 | $(ratio "$SU_RPS" "$F2_RPS") |
| *catalogue cache off:* /api/v1/procedures/$CODE | $DU_RPS | $DU_P99 | $(ratio "$DU_RPS" "$F2_RPS") |
EOT
