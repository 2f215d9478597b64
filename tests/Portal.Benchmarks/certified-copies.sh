#!/usr/bin/env bash
# Electronic certified copies issued per minute for a 2-page scan (docs/PERFORMANCE.md, "Certified copies (issue 7)"):
# a throwaway PostgreSQL, the demo catalogue, N counter requests for 2.000815 taken to approval through the production
# code, then W workers running CertifiedCopies.IssuePendingAsync at once until every copy is issued (build, number,
# sign with the RSA-3072 demo key, verify, store, result, done, notice). Figures only (CertifiedCopyThroughput.cs).
#   tests/Portal.Benchmarks/certified-copies.sh [copies per run, default 100] [worker counts, default "1 4"]
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh
COPIES=${1:-100}
WORKERS=${2:-"1 4"}
ensure_dotnet
ensure_postgres
command -v pdftoppm >/dev/null || apt_install poppler-utils   # renders the scanned pages

WORK=$(mktemp -d /tmp/portal-copies.XXXXXX)
cleanup() { set +e; pg_stop "$WORK/pg/data"; rm -rf "$WORK"; }
trap cleanup EXIT
pg_scratch "$WORK" 56632 -c shared_buffers=256MB -c max_connections=200
psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE portal" >/dev/null

echo "· Release build"
dotnet build tests/Portal.Benchmarks -c Release --nologo -v quiet -clp:ErrorsOnly
# shellcheck disable=SC2086  # the worker counts are separate arguments
DOTNET_gcServer=1 dotnet tests/Portal.Benchmarks/bin/Release/net10.0/Portal.Benchmarks.dll certified-copies \
  "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=portal;Maximum Pool Size=64" "$COPIES" $WORKERS
