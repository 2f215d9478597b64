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
APP_PID=""
cleanup() {
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null
  pg_stop "$WORK/pg/data"; rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/pg"
pg_user_setup "$WORK/pg"
"${AS_PG[@]}" "$PG_BIN/initdb" -D "$WORK/pg/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
PG_PORT=$(free_port 56432)
pg_start "$WORK/pg/data" "$PG_PORT" "$WORK/pg/server.log" -c shared_buffers=256MB -c max_connections=200
psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE portal" >/dev/null
export ConnectionStrings__Portal="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=portal;Maximum Pool Size=64"

echo "· Release build"
dotnet publish src/Portal.Web/Portal.Web.csproj -c Release -o "$WORK/app" --nologo -v quiet
(cd "$WORK/app" && dotnet Portal.Web.dll import-catalogue "$ROOT/db/demo/catalogue.json" >/dev/null)

# ×10: nine more copies of every procedure (code suffix .B1–.B9) with their versions and lines.
psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d portal -q -v ON_ERROR_STOP=1 <<'SQL'
CREATE TEMP TABLE copy_map AS
SELECT p.id AS old_id, gen_random_uuid() AS new_id, p.code || '.B' || k AS code, p.national_code, k
  FROM portal.procedure p CROSS JOIN generate_series(1, 9) AS k;
INSERT INTO portal.procedure (id, code, national_code) SELECT new_id, code, national_code FROM copy_map;
CREATE TEMP TABLE version_map AS
SELECT v.id AS old_id, gen_random_uuid() AS new_id, m.new_id AS procedure_id
  FROM portal.procedure_version v JOIN copy_map m ON m.old_id = v.procedure_id;
INSERT INTO portal.procedure_version (id, procedure_id, name, agency_id, field_id, level, channels, online_level, legacy_level,
       subjects, result_type, legal_basis, steps_md, requirements_md, description_md, decision_number, decision_date,
       effective_from, effective_to)
SELECT vm.new_id, vm.procedure_id, v.name, v.agency_id, v.field_id, v.level, v.channels, v.online_level, v.legacy_level,
       v.subjects, v.result_type, v.legal_basis, v.steps_md, v.requirements_md, v.description_md, v.decision_number,
       v.decision_date, v.effective_from, v.effective_to
  FROM portal.procedure_version v JOIN version_map vm ON vm.old_id = v.id;
INSERT INTO portal.procedure_processing_time SELECT vm.new_id, t.channel, t.amount, t.unit, t.note
  FROM portal.procedure_processing_time t JOIN version_map vm ON vm.old_id = t.version_id;
INSERT INTO portal.procedure_fee SELECT vm.new_id, f.line_no, f.description, f.amount_vnd
  FROM portal.procedure_fee f JOIN version_map vm ON vm.old_id = f.version_id;
INSERT INTO portal.procedure_document SELECT vm.new_id, d.line_no, d.name, d.originals, d.copies, d.required, d.template_file, d.must_be_signed
  FROM portal.procedure_document d JOIN version_map vm ON vm.old_id = d.version_id;
ANALYZE;
SQL
PROCEDURES=$(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d portal -Atc "SELECT count(*) FROM portal.procedure")
CODE=$(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d portal -Atc "SELECT code FROM portal.procedure WHERE code LIKE '1.001193.%' ORDER BY code LIMIT 1")

PORT=$(free_port 5180)
(cd "$WORK/app" && ASPNETCORE_URLS="http://127.0.0.1:$PORT" Portal__EnableFortunes=true Logging__LogLevel__Default=Warning \
   DOTNET_gcServer=1 dotnet Portal.Web.dll) > "$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done

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

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
cat <<EOT

| URL | requests/s | p99 (ms) | × fortunes |
|---|---:|---:|---:|
| /fortunes (yardstick) | $F_RPS | $F_P99 | 1.00 |
| /thu-tuc?q=dang+ky | $S_RPS | $S_P99 | $(ratio "$S_RPS" "$F_RPS") |
| /api/v1/procedures/$CODE | $D_RPS | $D_P99 | $(ratio "$D_RPS" "$F_RPS") |
| /thu-tuc/$CODE | $H_RPS | $H_P99 | $(ratio "$H_RPS" "$F_RPS") |
EOT
