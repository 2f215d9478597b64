#!/usr/bin/env bash
# Citizens browsing their dossier pages (/ho-so/{code}) against a Release build with wrk on loopback
# (docs/PERFORMANCE.md, citizen dossiers). Starts its own PostgreSQL, submits one real dossier through the applicants'
# API (the template), seeds 100,000 submitted dossiers of 10,000 applicants from it (seed-dossiers.sql), signs 100 of
# them in through /tai-khoan/dang-nhap and runs wrk over their 1,000 (session cookie, dossier code) pairs.
#   tests/Portal.Benchmarks/dossier-pages.sh [seconds, default 30] [connections, default 100]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
. scripts/lib.sh
DURATION=${1:-30}
CONNECTIONS=${2:-100}
DOSSIERS=${DOSSIERS:-100000}
APPLICANTS=${APPLICANTS:-10000}
KNOWN=100
PASSWORD="mat-khau-do-tai-2026"
. tests/Portal.Benchmarks/citizens-lib.sh

PROCEDURE=$("${PSQL[@]}" -c "$PROCEDURE_SQL")
start_portal

# The template: a dossier submitted the way a citizen submits one (small JPEG on every document line).
register_citizen "$WORK/template-jar" mau@example.com 0912345678 001090000001 "$PASSWORD"
TOKEN=$(api_token mau@example.com)
TEMPLATE=$(api "$TOKEN" POST /api/v1/me/dossiers -H 'Content-Type: application/json' -d "{\"procedureCode\":\"$PROCEDURE\"}" | json "['id']")
{ printf '\xff\xd8\xff\xe0'; head -c 40000 /dev/urandom; } > "$WORK/scan.jpg"
for line in $("${PSQL[@]}" -c "SELECT d.line_no FROM portal.procedure_document d JOIN portal.dossiers x ON x.version_id = d.version_id WHERE x.id = '$TEMPLATE'"); do
  api "$TOKEN" PUT "/api/v1/me/dossiers/$TEMPLATE/documents/$line" -F "file=@$WORK/scan.jpg;type=image/jpeg;filename=scan.jpg" >/dev/null
done
api "$TOKEN" POST "/api/v1/me/dossiers/$TEMPLATE/submit" >/dev/null

echo "· seeding $DOSSIERS dossiers of $APPLICANTS applicants"
t0=$(date +%s)
"${PSQL[@]}" -v template="$TEMPLATE" -v dossiers="$DOSSIERS" -v applicants="$APPLICANTS" -v known="$KNOWN" \
  -f tests/Portal.Benchmarks/seed-dossiers.sql | tail -1 | awk -F'|' '{ printf "  %s procedure versions, %s submitted dossiers, %s files, %s applicants\n", $1, $2, $3, $4 }'
echo "  ($(( $(date +%s) - t0 )) s)"

echo "· signing $KNOWN citizens in"
mkdir -p "$WORK/jars"
: > "$WORK/pairs"
for i in $(seq 1 "$KNOWN"); do
  sign_in "$WORK/jars/$i" "cd$i@example.com" "$PASSWORD"
  cookie=$(awk '$6 == "portal.citizen" { print $7 }' "$WORK/jars/$i")
  [ -n "$cookie" ] || { echo "no session cookie for cd$i" >&2; exit 1; }
  "${PSQL[@]}" -c "SELECT d.code FROM portal.dossiers d JOIN portal.applicant_logins l ON l.applicant_id = d.applicant_id
                    WHERE l.provider = 'email' AND l.key = 'cd$i@example.com' AND d.status = 1 ORDER BY d.code" \
    | while read -r code; do echo "$cookie $code"; done >> "$WORK/pairs"
done
PAIRS=$(wc -l < "$WORK/pairs")

# Every pair must answer 200 with its own dossier (a 302 to the sign-in page would count as a success in wrk).
while read -r cookie code; do
  page=$(curl -fsS -H "Cookie: portal.citizen=$cookie" "http://127.0.0.1:$PORT/ho-so/$code") && grep -q "$code" <<<"$page" \
    || { echo "/ho-so/$code did not show the dossier" >&2; exit 1; }
done < "$WORK/pairs"
echo "· $PAIRS (session, dossier) pairs checked: each answers 200 with its dossier"

{
  echo "local targets = {"
  while read -r cookie code; do echo "  { \"portal.citizen=$cookie\", \"/ho-so/$code\" },"; done < "$WORK/pairs"
  cat <<'LUA'
}
local threads = 0
function setup(thread) thread:set("offset", threads * 397); threads = threads + 1 end
local i = 0
function init(args) i = offset end
function request()
  i = i + 1
  local p = targets[i % #targets + 1]
  return wrk.format("GET", p[2], { ["Cookie"] = p[1] })
end
LUA
} > "$WORK/pages.lua"

ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 }; printf "%.1f", v }'; }

echo "· load before: $(cut -d' ' -f1-3 /proc/loadavg)"
wrk -t2 -c"$CONNECTIONS" -d10s -s "$WORK/pages.lua" "http://127.0.0.1:$PORT" >/dev/null       # warm-up: JIT, pools, caches
# CPU time used by the portal and by PostgreSQL (postmaster and its children) during the run: per request, this is what
# a shared machine's other load does not change much, unlike requests/s and latency.
cpu_ticks() {
  local pm; pm=$(head -1 "$WORK/pg/data/postmaster.pid")
  awk '{ t += $14 + $15 } END { print t }' "/proc/$APP_PID/stat" > "$WORK/cpu-app"
  { echo "/proc/$pm/stat"; for c in $(ps --ppid "$pm" -o pid=); do echo "/proc/$c/stat"; done; } \
    | xargs cat 2>/dev/null | awk '{ t += $14 + $15 } END { print t }' > "$WORK/cpu-pg"
  echo "$(cat "$WORK/cpu-app") $(cat "$WORK/cpu-pg")"
}
read -r APP0 PG0 < <(cpu_ticks)
OUT=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$WORK/pages.lua" "http://127.0.0.1:$PORT")
read -r APP1 PG1 < <(cpu_ticks)
echo "$OUT"
grep -qE "Non-2xx|Socket errors" <<<"$OUT" && { echo "errors during the run; portal log:" >&2; tail -c 3000 "$WORK/app.log" >&2; exit 1; }
RPS=$(awk '/Requests\/sec/ { print $2 }' <<<"$OUT")
P50=$(ms "$(awk '$1 == "50%" { print $2 }' <<<"$OUT")")
P90=$(ms "$(awk '$1 == "90%" { print $2 }' <<<"$OUT")")
P99=$(ms "$(awk '$1 == "99%" { print $2 }' <<<"$OUT")")
# Sessions still valid after the run (the cookie slides; a rejected one would have been redirected).
read -r cookie code < "$WORK/pairs"
page=$(curl -fsS -H "Cookie: portal.citizen=$cookie" "http://127.0.0.1:$PORT/ho-so/$code") && grep -q "$code" <<<"$page"

echo "· load after: $(cut -d' ' -f1-3 /proc/loadavg)"
REQUESTS=$(awk '/requests in/ { print $1 }' <<<"$OUT")
TICK=$(getconf CLK_TCK)
CPU=$(awk -v a="$((APP1 - APP0))" -v p="$((PG1 - PG0))" -v n="$REQUESTS" -v t="$TICK" \
  'BEGIN { printf "%.2f %.2f", a * 1000 / t / n, p * 1000 / t / n }')
read -r CPU_APP CPU_PG <<<"$CPU"
echo "· CPU per request: portal $CPU_APP ms, PostgreSQL $CPU_PG ms ($REQUESTS requests)"
cat <<EOT

| URL | dossiers | connections | requests/s | p50 (ms) | p90 (ms) | p99 (ms) | CPU ms/request portal + PostgreSQL | target |
|---|---:|---:|---:|---:|---:|---:|---:|---|
| /ho-so/{code} ($PAIRS pairs of $KNOWN citizens) | $DOSSIERS | $CONNECTIONS | $RPS | $P50 | $P90 | $P99 | $CPU_APP + $CPU_PG | p99 < 100 ms |
EOT

# The page's queries for one of the pairs, as PostgreSQL runs them (index use; the page makes these per request).
if [ "${EXPLAIN:-1}" = 1 ]; then
  APPLICANT=$("${PSQL[@]}" -c "SELECT applicant_id FROM portal.dossiers WHERE code = '$code'")
  echo
  echo "· EXPLAIN ANALYZE of the page's queries for $code"
  "${PSQL[@]}" -v applicant="$APPLICANT" -v code="$code" -f tests/Portal.Benchmarks/explain-dossier-page.sql \
    | grep -E '^(--|[[:space:]]*(->)?[[:space:]]*(Index|Seq|Bitmap|Nested|Hash|Sort|Limit|Result|Planning|Execution))' | sed 's/^/    /'
fi
