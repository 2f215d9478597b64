#!/usr/bin/env bash
# The reminder sweep over 1,000,000 open dossiers (docs/PERFORMANCE.md, "Reminder sweep (issue 7)"): a throwaway
# PostgreSQL, the Release build, the demo catalogue, seed-reminders.sql; then, RUNS times, a first pass that sends every
# reminder due (after clearing the previous run's) and a second pass that finds nothing new, each as a separate
# `Portal.Web sweep-reminders` process under /usr/bin/time -v (wall time and peak RSS of the whole process).
# Then, STATS_RUNS times, the nightly statistics roll-up over the same dossiers (`Portal.Web rollup-statistics`).
#   tests/Portal.Benchmarks/reminders.sh [runs, default 3]      (0: only the roll-up)
# Environment: DOSSIERS (1000000), UNITS (300), BATCH (Portal:Reminders:BatchSize, default 500), STATS_RUNS (3),
#              BENCH_APP (an existing Release publish of Portal.Web, skips the build).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
. scripts/lib.sh
RUNS=${1:-3}
STATS_RUNS=${STATS_RUNS:-3}
DOSSIERS=${DOSSIERS:-1000000}
UNITS=${UNITS:-300}
BATCH=${BATCH:-500}
ensure_dotnet
ensure_postgres
[ -x /usr/bin/time ] || apt_install time

WORK=$(mktemp -d /tmp/portal-reminders.XXXXXX)
cleanup() {
  set +e
  pg_stop "$WORK/pg/data"; rm -rf "$WORK"
}
trap cleanup EXIT
pg_scratch "$WORK" 56632 -c shared_buffers=256MB -c max_connections=50
PSQL=(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d portal -q -v ON_ERROR_STOP=1 -At)
psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE portal" >/dev/null
export ConnectionStrings__Portal="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=portal"
export Portal__Reminders__BatchSize=$BATCH DOTNET_ENVIRONMENT=Production Logging__LogLevel__Default=Warning

if [ -n "${BENCH_APP:-}" ]; then APP=$BENCH_APP; else
  echo "· Release build"
  APP=$WORK/app
  dotnet publish src/Portal.Web/Portal.Web.csproj -c Release -o "$APP" --nologo -v quiet
fi
(cd "$APP" && dotnet Portal.Web.dll import-catalogue "$ROOT/db/demo/catalogue.json" >/dev/null)   # migrates first

echo "· seeding $DOSSIERS open dossiers, $UNITS units"
t0=$(date +%s)
"${PSQL[@]}" -v dossiers="$DOSSIERS" -v units="$UNITS" -f tests/Portal.Benchmarks/seed-reminders.sql | tail -1 \
  | awk -F'|' '{ printf "  %s open dossiers: %s steps overdue, %s supplement requests open, %s results ready; %s units, %s staff\n", $1, $2, $3, $4, $5, $6 }'
echo "  ($(( $(date +%s) - t0 )) s; database $("${PSQL[@]}" -c "SELECT pg_size_pretty(pg_database_size('portal'))"))"
"${PSQL[@]}" -c "VACUUM ANALYZE" >/dev/null

# sweep <label>: one sweep-reminders process; prints a table row (wall s, peak RSS MB, reminders, messages).
ROWS=""
sweep() {
  local out wall rss line
  out=$( { cd "$APP" && /usr/bin/time -v env Logging__LogLevel__Portal.Commands=Information dotnet Portal.Web.dll sweep-reminders; } 2>&1 )
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.1f", s }' <<<"$out")
  rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' <<<"$out")
  line=$(grep -o 'Reminder sweep: .*' <<<"$out" || { echo "$out" >&2; exit 1; })
  echo "  $1: ${wall} s, peak RSS ${rss} MB — $line"
  ROWS+="| $1 | $wall | $rss | $(sed -E 's/Reminder sweep: ([0-9]+) reminders, ([0-9]+) messages in ([0-9.]+) s.*/\1 | \2 | \3/' <<<"$line") |"$'\n'
}

for run in $(seq 1 "$RUNS"); do
  # Each run starts from the same state: nobody reminded yet.
  "${PSQL[@]}" -c "TRUNCATE portal.reminders_sent; DELETE FROM portal.outbox_messages WHERE kind LIKE 'reminder-%'" \
    -c "VACUUM ANALYZE portal.reminders_sent, portal.outbox_messages" >/dev/null
  sweep "run $run, first pass"
  sweep "run $run, second pass"
done
# The statistics roll-up recomputes the last 62 days of the same million dossiers (received, refused, finished by
# class, returned) in one transaction, as the nightly job does.
for run in $(seq 1 "$STATS_RUNS"); do
  out=$( { cd "$APP" && /usr/bin/time -v env Logging__LogLevel__Portal.Commands=Information dotnet Portal.Web.dll rollup-statistics; } 2>&1 ) \
    || { echo "$out" | tail -40 >&2; exit 1; }
  echo "  roll-up $run: $(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' <<<"$out") wall, peak RSS $(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' <<<"$out") MB — $(grep -o 'Statistics roll-up: .*' <<<"$out" || echo "$out")"
done

echo
echo "| pass | wall (s) | peak RSS (MB) | reminders | messages | sweep itself (s) |"
echo "|---|---:|---:|---:|---:|---:|"
printf "%s" "$ROWS"
echo
echo "Per kind (last run): $("${PSQL[@]}" -c "SELECT string_agg(kind || ' ' || n, ', ' ORDER BY kind) FROM (SELECT kind, count(*) AS n FROM portal.reminders_sent GROUP BY kind) k")"
