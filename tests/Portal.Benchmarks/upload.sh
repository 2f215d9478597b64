#!/usr/bin/env bash
# Large upload into a dossier against a Release build on loopback (docs/PERFORMANCE.md, citizen dossiers): the web
# process's peak memory growth and the throughput while a citizen's client sends one big file through the applicants'
# API (PUT /api/v1/me/dossiers/{id}/documents/{componentId}, multipart, the same Uploads.ReadAsync as the page form).
#   tests/Portal.Benchmarks/upload.sh [megabytes, default 200] [runs, default 3]
# Each run: a new draft, a new file of random bytes behind a PDF header (above the signature policy's 50 MB, so it is
# stored and hashed but not signature-checked), VmHWM reset (/proc/<pid>/clear_refs), one curl upload, then
# growth = VmHWM after − VmRSS before. MB here are MiB (1,048,576 bytes), as the portal's own size limits.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
. scripts/lib.sh
SIZE_MB=${1:-200}
RUNS=${2:-3}
. tests/Portal.Benchmarks/citizens-lib.sh

PROCEDURE=$("${PSQL[@]}" -c "$PROCEDURE_SQL")
# The procedure's version takes 250 MB per file and per dossier (NULL would mean the site's 20 / 100 MB).
"${PSQL[@]}" -c "UPDATE portal.procedure_version v SET max_file_bytes = 250 * 1048576, max_dossier_bytes = 250 * 1048576
  FROM portal.procedure p WHERE p.id = v.procedure_id AND p.code = '$PROCEDURE'" >/dev/null
LINE=$("${PSQL[@]}" -c "SELECT min(d.line_no) FROM portal.procedure_document d JOIN portal.procedure_version v ON v.id = d.version_id
  JOIN portal.procedure p ON p.id = v.procedure_id WHERE p.code = '$PROCEDURE'")

start_portal
register_citizen "$WORK/jar" upload@example.com 0912345678 001090000001 "mat-khau-do-tai-2026"
TOKEN=$(api_token upload@example.com)

status() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }   # kB

upload() {  # $1 file → "http-code seconds bytes-sent"; a new draft each time (the dossier limit is per dossier)
  local id
  id=$(api "$TOKEN" POST /api/v1/me/dossiers -H 'Content-Type: application/json' -d "{\"procedureCode\":\"$PROCEDURE\"}" | json "['id']")
  curl -sS -o "$WORK/upload.json" -w '%{http_code} %{time_total} %{size_upload}\n' -X PUT -H "Authorization: Bearer $TOKEN" \
    -H 'Expect:' -F "file=@$1;type=application/pdf;filename=ban-scan.pdf" "http://127.0.0.1:$PORT/api/v1/me/dossiers/$id/documents/$LINE"
}

make_file() {  # $1 path, $2 MiB: "%PDF-1.7" then random bytes
  { printf '%%PDF-1.7\n'; head -c $(($2 * 1048576 - 9)) /dev/urandom; } > "$1"
}

# Warm-up: JIT, pools and the first draft on a 10 MB file.
make_file "$WORK/warm.pdf" 10
read -r code _ _ < <(upload "$WORK/warm.pdf")
[ "$code" = 201 ] || { echo "warm-up upload answered $code: $(cat "$WORK/upload.json")" >&2; exit 1; }
rm -f "$WORK/warm.pdf"

echo "· $SIZE_MB MB per upload, $RUNS runs; procedure $PROCEDURE, document line $LINE; portal pid $APP_PID"
echo "| run | seconds | MB/s | RSS before (MB) | peak RSS, VmHWM (MB) | growth (MB) | growth, sampled VmRSS (MB) |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
RESULTS=()
for run in $(seq 1 "$RUNS"); do
  make_file "$WORK/big.pdf" "$SIZE_MB"
  sync; sleep 1                              # let the disk settle after writing the file
  echo 5 > "/proc/$APP_PID/clear_refs"       # VmHWM := VmRSS
  before=$(status "$APP_PID" VmRSS)
  # Cross-check of VmHWM: VmRSS sampled every 10 ms during the upload.
  ( max=0; while [ ! -f "$WORK/done" ]; do r=$(status "$APP_PID" VmRSS); [ "$r" -gt "$max" ] && max=$r; sleep 0.01; done; echo "$max" > "$WORK/sampled" ) &
  SAMPLER=$!
  read -r code seconds sent < <(upload "$WORK/big.pdf")
  touch "$WORK/done"; wait "$SAMPLER"; rm -f "$WORK/done"
  [ "$code" = 201 ] || { echo "upload answered $code: $(cat "$WORK/upload.json")" >&2; exit 1; }
  hwm=$(status "$APP_PID" VmHWM)
  size=$(json "['size']" < "$WORK/upload.json")
  [ "$size" = $((SIZE_MB * 1048576)) ] || { echo "stored size $size" >&2; exit 1; }
  row=$(awk -v s="$seconds" -v b="$sent" -v r0="$before" -v h="$hwm" -v m="$(cat "$WORK/sampled")" \
    'BEGIN { printf "%.2f %.0f %.0f %.0f %.1f %.1f", s, b / 1048576 / s, r0 / 1024, h / 1024, (h - r0) / 1024, (m - r0) / 1024 }')
  read -r sec mbs r0 peak growth sampled <<<"$row"
  echo "| $run | $sec | $mbs | $r0 | $peak | $growth | $sampled |"
  RESULTS+=("$mbs $growth")
  rm -f "$WORK/big.pdf"
done
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo "· throughput MB/s: min $(printf '%s\n' "${RESULTS[@]}" | cut -d' ' -f1 | sort -g | head -1), median $(printf '%s\n' "${RESULTS[@]}" | cut -d' ' -f1 | median);" \
  "growth MB: median $(printf '%s\n' "${RESULTS[@]}" | cut -d' ' -f2 | median), max $(printf '%s\n' "${RESULTS[@]}" | cut -d' ' -f2 | sort -g | tail -1)"
