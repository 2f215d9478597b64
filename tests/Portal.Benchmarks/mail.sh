#!/usr/bin/env bash
# Mail dispatch rate (docs/PERFORMANCE.md, "Mail dispatch (issue 7)"): a throwaway PostgreSQL and Debian's aiosmtpd on
# loopback writing to a Maildir, N queued messages seeded, the production MailDispatcher (Release build) run until the
# queue is empty; prints messages/s and checks that the Maildir holds exactly N messages.
#   tests/Portal.Benchmarks/mail.sh [messages, default 5000] [connections, default 4] [batch size, default 50]
# Environment: ATTACH=<bytes> attaches a stored file of that size to every message; PICKUP=1 writes .eml files into a
# directory instead of talking SMTP (the embedded default without a mail server).
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh
MESSAGES=${1:-5000}
CONNECTIONS=${2:-4}
BATCH=${3:-50}

ensure_dotnet
ensure_postgres
/usr/bin/python3 -c "import aiosmtpd" 2>/dev/null || apt_install python3-aiosmtpd

WORK=$(mktemp -d /tmp/portal-mail-bench.XXXXXX)
SMTP_PID=""
cleanup() {
  set +e
  [ -n "$SMTP_PID" ] && kill "$SMTP_PID" 2>/dev/null && wait "$SMTP_PID" 2>/dev/null
  pg_stop "$WORK/pg/data"; rm -rf "$WORK"
}
trap cleanup EXIT
pg_scratch "$WORK" 56632 -c shared_buffers=128MB
psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE portal" >/dev/null
DB="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=portal"

if [ "${PICKUP:-0}" = 1 ]; then
  TARGET=$WORK/pickup
  COUNT_DIR=$TARGET
else
  SMTP_PORT=$(free_port 25350)
  /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$WORK/maildir" > "$WORK/smtp.log" 2>&1 &
  SMTP_PID=$!
  for _ in $(seq 50); do (echo > "/dev/tcp/127.0.0.1/$SMTP_PORT") 2>/dev/null && break; sleep 0.1; done
  TARGET=127.0.0.1:$SMTP_PORT
  COUNT_DIR=$WORK/maildir/new
fi

echo "· Release build"
dotnet build tests/Portal.Benchmarks -c Release --nologo -v quiet -clp:ErrorsOnly >/dev/null
echo "· $MESSAGES messages, $CONNECTIONS connection(s), batch $BATCH${ATTACH:+, attachment $ATTACH bytes}${PICKUP:+, pickup directory}"
cpu_ticks() { if [ -n "$SMTP_PID" ]; then awk '{ print $14 + $15 }' "/proc/$SMTP_PID/stat"; else echo 0; fi; }
before=$(cpu_ticks)
dotnet tests/Portal.Benchmarks/bin/Release/net10.0/Portal.Benchmarks.dll mail "$DB" "$TARGET" "$MESSAGES" "$CONNECTIONS" "$BATCH" "${ATTACH:-0}"
[ -n "$SMTP_PID" ] && awk -v t=$(( $(cpu_ticks) - before )) -v hz="$(getconf CLK_TCK)" -v n="$MESSAGES" \
  'BEGIN { printf "  aiosmtpd CPU %.1f s (%.2f ms/message)\n", t / hz, 1000 * t / hz / n }'
RECEIVED=$(find "$COUNT_DIR" -type f | wc -l)
echo "  received: $RECEIVED message files"
[ "$RECEIVED" = "$MESSAGES" ]
