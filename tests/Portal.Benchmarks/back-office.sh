#!/usr/bin/env bash
# The one-stop back office under load (docs/PERFORMANCE.md, back office): 1,000,000 dossiers over two years and 300
# agency units (seed-back-office.sql), a Release build, wrk on loopback. Measures a typical unit's reception inbox and
# late-risk list (staff API with a bearer token; the pages with the staff cookie when they exist) and the "receive"
# transition (distinct status-1 dossiers of 50 units, one officer each), then EXPLAINs the two list queries.
#   tests/Portal.Benchmarks/back-office.sh [seconds, default 30] [connections, default 16]
# Environment: DOSSIERS (1000000), UNITS (300), RECEIVE_UNITS (50), RECEIVE_PER_UNIT (400), RECEIVE_SECONDS (20),
#              EXPLAIN_OUT (file for the plans, default $ROOT/tests/Portal.Benchmarks/back-office-explain.txt),
#              BENCH_APP (an existing Release publish, skips the build).
# Without the staff API (404), the two lists are measured as SQL with pgbench at the same concurrency instead.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
. scripts/lib.sh
DURATION=${1:-30}
CONNECTIONS=${2:-16}
DOSSIERS=${DOSSIERS:-1000000}
UNITS=${UNITS:-300}
RECEIVE_UNITS=${RECEIVE_UNITS:-50}
RECEIVE_PER_UNIT=${RECEIVE_PER_UNIT:-400}
RECEIVE_SECONDS=${RECEIVE_SECONDS:-20}
EXPLAIN_OUT=${EXPLAIN_OUT:-$ROOT/tests/Portal.Benchmarks/back-office-explain.txt}
PASSWORD="mat-khau-can-bo-2026"
TOKEN_PREFIX="st_bench$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')k"
export Portal__Role=web          # no background jobs in the measured process
. tests/Portal.Benchmarks/citizens-lib.sh
# On failure: where, and the portal's log kept beside the plans (the work directory is removed on exit).
trap 'echo "back-office.sh failed at line $LINENO; portal log in ${EXPLAIN_OUT%.txt}-app.log" >&2; cp "$WORK/app.log" "${EXPLAIN_OUT%.txt}-app.log" 2>/dev/null' ERR
command -v pgbench >/dev/null || PATH=$PATH:$PG_BIN

# The template officer: add-staff hashes the password the way sign-in checks it; the seed copies the hash.
(cd "$APP" && PORTAL_STAFF_PASSWORD="$PASSWORD" dotnet Portal.Web.dll add-staff mau-can-bo "Cán bộ mẫu" receiving-officer 000.00.01.H99 >/dev/null)

echo "· seeding $DOSSIERS dossiers + $((RECEIVE_UNITS * RECEIVE_PER_UNIT)) for the receive run, $UNITS units"
t0=$(date +%s)
"${PSQL[@]}" -v dossiers="$DOSSIERS" -v units="$UNITS" -v receive_units="$RECEIVE_UNITS" -v receive_per_unit="$RECEIVE_PER_UNIT" \
  -v template_login=mau-can-bo -v token_prefix="$TOKEN_PREFIX" -f tests/Portal.Benchmarks/seed-back-office.sql | tail -1 \
  | awk -F'|' '{ printf "  %s dossiers (%s pending, %s status 1, %s at risk now), %s history rows, %s clock segments, %s units\n", $1, $2, $3, $4, $5, $6, $7 }'
SEED_SECONDS=$(( $(date +%s) - t0 ))
echo "  ($SEED_SECONDS s; database $("${PSQL[@]}" -c "SELECT pg_size_pretty(pg_database_size('portal'))"))"

MK=$((UNITS / 2))                # the measured unit: a commune outside the receive pool
UNIT=$("${PSQL[@]}" -c "SELECT agency_code FROM portal.staff_accounts WHERE login = 'bench$MK'")
UNIT_ID=$("${PSQL[@]}" -c "SELECT id FROM portal.agency WHERE code = '$UNIT'")
TOKEN="$TOKEN_PREFIX$MK"
INBOX_N=$("${PSQL[@]}" -c "SELECT count(*) FROM portal.dossiers WHERE receiving_agency_id = '$UNIT_ID' AND status = 1")
RISK_N=$("${PSQL[@]}" -c "SELECT count(*) FROM portal.dossiers WHERE holder_agency_id = '$UNIT_ID' AND status IN (2, 4) AND risk_at <= now()")
OPEN_N=$("${PSQL[@]}" -c "SELECT count(*) FROM portal.dossiers WHERE holder_agency_id = '$UNIT_ID' AND status BETWEEN 2 AND 9")
ALL_N=$("${PSQL[@]}" -c "SELECT count(*) FROM portal.dossiers WHERE receiving_agency_id = '$UNIT_ID'")
echo "· measured unit $UNIT: $ALL_N dossiers, $INBOX_N waiting for reception, $OPEN_N in processing, $RISK_N at risk"

start_portal

ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 }; printf "%.1f", v }'; }
cpu_ticks() {   # CPU ticks of the portal and of PostgreSQL (postmaster and children)
  local pm; pm=$(head -1 "$WORK/pg/data/postmaster.pid")
  local app pg
  app=$(awk '{ t += $14 + $15 } END { print t }' "/proc/$APP_PID/stat")
  pg=$({ echo "/proc/$pm/stat"; for c in $(ps --ppid "$pm" -o pid=); do echo "/proc/$c/stat"; done; } \
    | { xargs cat 2>/dev/null || true; } | awk '{ t += $14 + $15 } END { print t }')
  echo "$app $pg"
}
TICK=$(getconf CLK_TCK)
ROWS=""
# run_wrk <label> <seconds> <wrk args…>: warm-up 5 s, then the run; appends a table row.
run_wrk() {
  local label=$1 seconds=$2; shift 2
  wrk -t2 -c"$CONNECTIONS" -d5s "$@" >/dev/null
  local a0 p0 a1 p1 out
  read -r a0 p0 < <(cpu_ticks)
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${seconds}s" --latency "$@")
  read -r a1 p1 < <(cpu_ticks)
  echo "$out" | sed 's/^/    /'
  if grep -qE "Non-2xx|Socket errors" <<<"$out"; then echo "errors during $label; portal log:" >&2; tail -c 3000 "$WORK/app.log" >&2; exit 1; fi
  local n rps cpu
  n=$(awk '/requests in/ { print $1 }' <<<"$out")
  rps=$(awk '/Requests\/sec/ { printf "%.0f", $2 }' <<<"$out")
  cpu=$(awk -v a="$((a1 - a0))" -v p="$((p1 - p0))" -v n="$n" -v t="$TICK" 'BEGIN { printf "%.2f + %.2f", a * 1000 / t / n, p * 1000 / t / n }')
  ROWS+="| $label | $CONNECTIONS | $rps | $(ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")") | $(ms "$(awk '$1 == "90%" { print $2 }' <<<"$out")") | $(ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")") | $cpu |"$'\n'
}

api_status() { curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT$1"; }
echo "· load before: $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- the two lists through the staff API ----
if [ "$(api_status '/api/v1/staff/dossiers?status=1')" = 200 ]; then
  first=$(curl -fsS -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/staff/dossiers?status=1")
  oldest=$("${PSQL[@]}" -c "SELECT code FROM portal.dossiers WHERE receiving_agency_id = '$UNIT_ID' AND status = 1 ORDER BY submitted_at, id LIMIT 1")
  grep -q "$oldest" <<<"$first" || { echo "the inbox API does not list $oldest" >&2; exit 1; }
  atrisk=$("${PSQL[@]}" -c "SELECT code FROM portal.dossiers WHERE holder_agency_id = '$UNIT_ID' AND status IN (2, 4) AND risk_at <= now() ORDER BY due_at, id LIMIT 1")
  [ -z "$atrisk" ] || curl -fsS -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/staff/late-risk" | grep -q "$atrisk" \
    || { echo "the late-risk API does not list $atrisk" >&2; exit 1; }
  echo "· inbox API (/api/v1/staff/dossiers?status=1, $INBOX_N dossiers)"
  run_wrk "API inbox \`GET /api/v1/staff/dossiers?status=1\`" "$DURATION" -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/staff/dossiers?status=1"
  echo "· late-risk API (/api/v1/staff/late-risk, $RISK_N dossiers)"
  run_wrk "API late risk \`GET /api/v1/staff/late-risk\`" "$DURATION" -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/staff/late-risk"
  HAVE_API=1
else
  echo "· the staff API is not there ($(api_status '/api/v1/staff/dossiers?status=1')): the lists' SQL is measured with pgbench below"
  HAVE_API=0
fi

# ---- the pages with the staff cookie ----
if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/can-bo/tiep-nhan")" = 302 ]; then
  sign_in_staff() {
    local token status
    token=$(antiforgery "$WORK/staff-jar" "$StaffSignIn")
    status=$(curl -sS -o /dev/null -w '%{http_code}' -c "$WORK/staff-jar" -b "$WORK/staff-jar" "http://127.0.0.1:$PORT$StaffSignIn" \
      --data-urlencode "__RequestVerificationToken=$token" --data-urlencode "Login=bench$MK" --data-urlencode "Password=$PASSWORD")
    [ "$status" = 302 ] || { echo "staff sign-in answered $status" >&2; exit 1; }
  }
  StaffSignIn=/can-bo/dang-nhap
  sign_in_staff
  COOKIE="portal.staff=$(awk '$6 == "portal.staff" { print $7 }' "$WORK/staff-jar")"
  for page in /can-bo/tiep-nhan /can-bo/nguy-co-tre-han; do
    [ "$(curl -s -o "$WORK/page.html" -w '%{http_code}' -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT$page")" = 200 ] \
      || { echo "$page did not answer 200 with the staff cookie" >&2; exit 1; }
  done
  grep -q "$UNIT-" "$WORK/page.html" || [ "$RISK_N" = 0 ] || { echo "/can-bo/nguy-co-tre-han lists no dossier of $UNIT" >&2; exit 1; }
  echo "· inbox page"
  run_wrk "page \`/can-bo/tiep-nhan\`" "$DURATION" -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT/can-bo/tiep-nhan"
  echo "· late-risk page"
  run_wrk "page \`/can-bo/nguy-co-tre-han\`" "$DURATION" -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT/can-bo/nguy-co-tre-han"
  # The inbox page once more, last: tells whether its tail belongs to the page or to being the first page measured.
  echo "· inbox page, again"
  run_wrk "page \`/can-bo/tiep-nhan\` (again, after the late-risk page)" "$DURATION" -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT/can-bo/tiep-nhan"
else
  echo "· the staff pages are not there: not measured"
fi

# ---- the lists' SQL alone (pgbench, same concurrency): what the database costs per request ----
SCOPE="WITH RECURSIVE home AS (SELECT id, code, level FROM portal.agency WHERE code = '$UNIT'),
  units AS (SELECT id, code FROM home UNION ALL SELECT a.id, a.code FROM portal.agency a JOIN units u ON a.parent_id = u.id),
  scope AS (SELECT id, code FROM units UNION SELECT id, code FROM portal.agency WHERE any_commune AND EXISTS (SELECT 1 FROM home WHERE level = 'commune'))"
LIST="SELECT d.id, d.code, v.name AS procedure_name, d.applicant_name, d.status, d.sub_state, d.channel, d.submitted_at,
       d.received_at, d.due_at, d.original_due_at, d.step_due_at, d.risk_at, d.finished_at, d.returned_at, d.returned_to,
       h.name AS holder_name, r.name AS receiving_name, d.step, s.display_name AS assignee_name
  FROM portal.dossiers d
  JOIN portal.procedure_version v ON v.id = d.version_id
  JOIN portal.agency r ON r.id = d.receiving_agency_id
  LEFT JOIN portal.agency h ON h.id = d.holder_agency_id
  LEFT JOIN portal.staff_accounts s ON s.id = d.assignee_id"
# As the app sends them: the scope first (ScopeAsync), then the list with its unit ids as an array parameter.
UNITS_ARRAY="{$("${PSQL[@]}" -c "$SCOPE SELECT string_agg(id::text, ',') FROM scope")}"
INBOX_SQL="$LIST WHERE d.status = 1 AND d.receiving_agency_id = ANY ('$UNITS_ARRAY'::uuid[]) ORDER BY d.submitted_at, d.id LIMIT 50 OFFSET 0"
RISK_SQL="$LIST WHERE d.status IN (2, 4) AND d.risk_at <= now() AND d.holder_agency_id = ANY ('$UNITS_ARRAY'::uuid[]) ORDER BY d.due_at, d.id LIMIT 50 OFFSET 0"
PGROWS=""
pg_bench() {  # <label> <sql>
  local dir="$WORK/pgbench-$RANDOM"; mkdir -p "$dir"
  { echo "$SCOPE SELECT id, code FROM scope;"; echo "$2;"; } | tr '\n' ' ' | sed 's/;  */;\n/g' > "$dir/q.sql"
  (cd "$dir" && pgbench -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M prepared -c "$CONNECTIONS" -j 2 -T 10 -f q.sql portal >/dev/null)
  (cd "$dir" && rm -f pgbench_log.* && pgbench -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M prepared -c "$CONNECTIONS" -j 2 -T "$DURATION" -l -f q.sql portal > out.txt)
  local tps; tps=$(awk '/^tps/ { printf "%.0f", $3 }' "$dir/out.txt")
  cat "$dir"/pgbench_log.* | awk '{ print $3 / 1000 }' | sort -n > "$dir/lat"
  local n; n=$(wc -l < "$dir/lat")
  pct() { awk -v n="$n" -v p="$1" 'NR == int(n * p / 100) { printf "%.1f", $1; exit }' "$dir/lat"; }
  PGROWS+="| $1 (SQL, pgbench) | $CONNECTIONS | $tps | $(pct 50) | $(pct 90) | $(pct 99) | — |"$'\n'
}
echo "· the lists' SQL with pgbench ($CONNECTIONS clients, scope query + list query per transaction)"
pg_bench "inbox" "$INBOX_SQL"
pg_bench "late risk" "$RISK_SQL"

# ---- EXPLAIN (ANALYZE, BUFFERS) of the two lists ----
{
  echo "-- $(date -u +%F) $DOSSIERS dossiers, unit $UNIT (scope $UNITS_ARRAY)"
  echo "-- inbox (BackOffice.InboxAsync)"
  "${PSQL[@]}" -c "EXPLAIN (ANALYZE, BUFFERS) $INBOX_SQL"
  echo; echo "-- late risk (BackOffice.LateRiskAsync)"
  "${PSQL[@]}" -c "EXPLAIN (ANALYZE, BUFFERS) $RISK_SQL"
  echo; echo "-- scope (BackOffice.ScopeSql)"
  "${PSQL[@]}" -c "EXPLAIN (ANALYZE, BUFFERS) $SCOPE SELECT id, code FROM scope"
} > "$EXPLAIN_OUT"
echo "· plans in $EXPLAIN_OUT:"
grep -E "Index|Seq Scan|Execution" "$EXPLAIN_OUT" | sed 's/^/    /'

# ---- receive: distinct status-1 dossiers of the receive units, each request with its unit's officer token ----
RECEIVE_ROW=""
code=$("${PSQL[@]}" -c "SELECT d.code FROM portal.dossiers d JOIN portal.agency a ON a.id = d.receiving_agency_id
                        JOIN portal.staff_accounts s ON s.agency_code = a.code AND s.login = 'bench0' WHERE d.status = 1 LIMIT 1")
probe=$(curl -s -o "$WORK/probe.json" -w '%{http_code}' -X POST -H "Authorization: Bearer ${TOKEN_PREFIX}0" -H 'Content-Type: application/json' \
  -d '{}' "http://127.0.0.1:$PORT/api/v1/staff/dossiers/$code/actions/receive")
if [ "$probe" = 200 ]; then
  # Pairs interleaved over the units (unit 0's first, unit 1's first, …) so that 16 connections act for different officers.
  "${PSQL[@]}" -F ' ' -c "
    SELECT substr(s.login, 6), d.code
      FROM portal.dossiers d JOIN portal.agency a ON a.id = d.receiving_agency_id
      JOIN portal.staff_accounts s ON s.agency_code = a.code AND s.login ~ '^bench[0-9]+$' AND substr(s.login, 6)::int < $RECEIVE_UNITS
     WHERE d.status = 1
     ORDER BY row_number() OVER (PARTITION BY a.id ORDER BY d.submitted_at, d.id), a.code" > "$WORK/receive-pairs"
  PAIRS=$(wc -l < "$WORK/receive-pairs")
  BEFORE=$("${PSQL[@]}" -c "SELECT count(*) FROM portal.dossiers WHERE status = 2 AND received_at >= now() - interval '1 hour'")
  {
    echo "local targets = {"
    while read -r k c; do echo "  { \"Bearer $TOKEN_PREFIX$k\", \"/api/v1/staff/dossiers/$c/actions/receive\" },"; done < "$WORK/receive-pairs"
    cat <<'LUA'
}
local threads = 0
function setup(thread) thread:set("id", threads); threads = threads + 1 end
local i, n = 0, 0
function init(args) i = id; n = 2 end       -- thread t takes pairs t, t + 2, t + 4, …: each dossier once
function request()
  local p = targets[i + 1]
  if p == nil then return wrk.format("GET", "/healthz") end   -- the pool is used up: harmless requests, counted apart
  i = i + n
  return wrk.format("POST", p[2], { ["Authorization"] = p[1], ["Content-Type"] = "application/json" }, "{}")
end
LUA
  } > "$WORK/receive.lua"
  echo "· receive: $PAIRS status-1 dossiers of $RECEIVE_UNITS units, ${RECEIVE_SECONDS}s at $CONNECTIONS connections"
  a0p0=$(cpu_ticks)
  OUT=$(wrk -t2 -c"$CONNECTIONS" -d"${RECEIVE_SECONDS}s" --latency -s "$WORK/receive.lua" "http://127.0.0.1:$PORT")
  read -r a1 p1 < <(cpu_ticks); read -r a0 p0 <<<"$a0p0"
  echo "$OUT" | sed 's/^/    /'
  AFTER=$("${PSQL[@]}" -c "SELECT count(*) FROM portal.dossiers WHERE status = 2 AND received_at >= now() - interval '1 hour'")
  RECEIVED=$((AFTER - BEFORE))
  SENT=$(awk '/requests in/ { print $1 }' <<<"$OUT")
  FAILED=$(awk '/Non-2xx/ { print $NF }' <<<"$OUT"); FAILED=${FAILED:-0}
  FORMS=$("${PSQL[@]}" -c "SELECT count(*) FROM portal.dossier_forms WHERE kind = 'receipt' AND issued_at >= now() - interval '1 hour'")
  [ "$SENT" -le "$PAIRS" ] || echo "  the pool ran out: $((SENT - PAIRS)) requests were /healthz (raise RECEIVE_PER_UNIT)"
  TPS=$(awk -v r="$RECEIVED" -v s="$RECEIVE_SECONDS" 'BEGIN { printf "%.0f", r / s }')
  echo "· receive: $SENT requests, $FAILED non-2xx, $RECEIVED dossiers now status 2 (SQL), $FORMS receipts issued → $TPS transitions/s"
  cpu=$(awk -v a="$((a1 - a0))" -v p="$((p1 - p0))" -v n="$RECEIVED" -v t="$TICK" 'BEGIN { printf "%.2f + %.2f", a * 1000 / t / n, p * 1000 / t / n }')
  RECEIVE_ROW="| receive \`POST …/actions/receive\` ($RECEIVED distinct dossiers, $FAILED failed) | $CONNECTIONS | **$TPS transitions/s** | $(ms "$(awk '$1 == "50%" { print $2 }' <<<"$OUT")") | $(ms "$(awk '$1 == "90%" { print $2 }' <<<"$OUT")") | $(ms "$(awk '$1 == "99%" { print $2 }' <<<"$OUT")") | $cpu |"
  [ "$FAILED" = 0 ] || { echo "failed receive requests; portal log:" >&2; tail -c 3000 "$WORK/app.log" >&2; }
else
  echo "· receive not measured: the probe answered $probe: $(head -c 400 "$WORK/probe.json")"
fi
echo "· load after: $(cut -d' ' -f1-3 /proc/loadavg)"

cat <<EOT

Seed: $SEED_SECONDS s. Measured unit $UNIT: $ALL_N dossiers, $INBOX_N waiting for reception, $RISK_N at risk of $OPEN_N in processing.

| what | connections | requests/s | p50 (ms) | p90 (ms) | p99 (ms) | CPU ms/request portal + PostgreSQL |
|---|---:|---:|---:|---:|---:|---:|
$ROWS$PGROWS$RECEIVE_ROW
EOT
