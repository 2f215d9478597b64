# Shared by upload.sh and dossier-pages.sh (docs/PERFORMANCE.md, citizen dossiers): a throwaway PostgreSQL, the
# Release build, the portal started against them, and citizens made through the real pages.
# shellcheck shell=bash
# Expects: set -euo pipefail, cwd = ROOT = repository root, scripts/lib.sh sourced. Sets WORK, PG_PORT, PSQL, APP, PORT, APP_PID.

ensure_dotnet
ensure_postgres
command -v wrk >/dev/null || apt_install wrk
command -v curl >/dev/null || apt_install curl

WORK=$(mktemp -d /tmp/portal-citizens.XXXXXX)
APP_PID=""
cleanup() {
  set +e     # a trap under set -e would stop at the first failing kill and leave PostgreSQL running
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null
  pg_stop "$WORK/pg/data"; rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/files"
pg_scratch "$WORK" 56532 -c shared_buffers=256MB -c max_connections=200
PSQL=(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d portal -q -v ON_ERROR_STOP=1 -At)
psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE portal" >/dev/null
# BENCH_DB_OPTIONS: more Npgsql connection-string settings for an experiment, e.g. "Max Auto Prepare=32".
export ConnectionStrings__Portal="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=portal;Maximum Pool Size=64${BENCH_DB_OPTIONS:+;$BENCH_DB_OPTIONS}"

# BENCH_APP=<directory of an existing Release publish> skips the publish (for iterating on the script itself).
if [ -n "${BENCH_APP:-}" ]; then APP=$BENCH_APP; else
  echo "· Release build"
  APP=$WORK/app
  dotnet publish src/Portal.Web/Portal.Web.csproj -c Release -o "$APP" --nologo -v quiet
fi
(cd "$APP" && dotnet Portal.Web.dll import-catalogue "$ROOT/db/demo/catalogue.json" >/dev/null)   # migrates first

# A procedure offered online today, with a processing time (the due date) and at least one document: the one every
# benchmark dossier is filed under.
PROCEDURE_SQL="
  SELECT p.code FROM portal.procedure p JOIN portal.procedure_version v ON v.procedure_id = p.id
   WHERE v.online_level <> 'none' AND v.effective_from <= current_date AND (v.effective_to IS NULL OR v.effective_to > current_date)
     AND EXISTS (SELECT 1 FROM portal.procedure_processing_time t WHERE t.version_id = v.id AND t.channel IN ('online', 'direct'))
     AND EXISTS (SELECT 1 FROM portal.procedure_document d WHERE d.version_id = v.id)
   ORDER BY p.code LIMIT 1"

# The portal as production runs it (Release, server GC, warnings only), files in $WORK/files. Sign-in attempts per
# address are raised because every benchmark citizen signs in from 127.0.0.1.
start_portal() {
  PORT=$(free_port 5280)
  (cd "$APP" && ASPNETCORE_URLS="http://127.0.0.1:$PORT" DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production \
     Portal__Files="$WORK/files" Portal__SecureCookies=false Portal__SignInAttemptsPerMinute=100000 Logging__LogLevel__Default=Warning DOTNET_gcServer=1 \
     exec dotnet Portal.Web.dll) > "$WORK/app.log" 2>&1 &
  APP_PID=$!
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && return; sleep 0.1; done
  echo "portal did not start:" >&2; cat "$WORK/app.log" >&2; exit 1
}

antiforgery() {  # $1 cookie jar, $2 path → the form's antiforgery token
  curl -fsS -c "$1" -b "$1" "http://127.0.0.1:$PORT$2" | grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"\|name="__RequestVerificationToken" value="[^"]*"' \
    | head -1 | sed 's/.*value="//; s/"$//'
}

# Registers an individual through /tai-khoan/dang-ky (the real page: validation, PasswordHasher, sign-in cookie).
register_citizen() {  # $1 jar, $2 email, $3 phone, $4 12-digit CCCD, $5 password
  local token status
  token=$(antiforgery "$1" /tai-khoan/dang-ky)
  status=$(curl -sS -o /dev/null -w '%{http_code}' -c "$1" -b "$1" "http://127.0.0.1:$PORT/tai-khoan/dang-ky" \
    --data-urlencode "__RequestVerificationToken=$token" --data-urlencode "Kind=individual" \
    --data-urlencode "FullName=Nguyễn Văn Đo Tải" --data-urlencode "BirthDate=05/03/1990" --data-urlencode "IdNumber=$4" \
    --data-urlencode "Address=12 Lê Lợi, phường Bến Thành, TP Hồ Chí Minh" --data-urlencode "Email=$2" \
    --data-urlencode "Phone=$3" --data-urlencode "Password=$5")
  [ "$status" = 302 ] || { echo "registration of $2 answered $status" >&2; exit 1; }
}

# Signs in through /tai-khoan/dang-nhap; the jar then holds the portal.citizen cookie.
sign_in() {  # $1 jar, $2 login, $3 password
  local token status
  token=$(antiforgery "$1" /tai-khoan/dang-nhap)
  status=$(curl -sS -o /dev/null -w '%{http_code}' -c "$1" -b "$1" "http://127.0.0.1:$PORT/tai-khoan/dang-nhap" \
    --data-urlencode "__RequestVerificationToken=$token" --data-urlencode "Login=$2" --data-urlencode "Password=$3")
  [ "$status" = 302 ] || { echo "sign-in of $2 answered $status" >&2; exit 1; }
}

# A personal API token for an applicant, stored as Applicants.CreateTokenAsync stores it (SHA-256 of the plaintext).
api_token() {  # $1 applicant e-mail → token
  local token="pt_bench$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  "${PSQL[@]}" -c "INSERT INTO portal.api_tokens (applicant_id, name, token_sha256, prefix, created_at)
    SELECT applicant_id, 'benchmark', '$(printf %s "$token" | sha256sum | cut -d' ' -f1)', '${token:0:9}', now()
      FROM portal.applicant_logins WHERE provider = 'email' AND key = '$1'" >/dev/null
  echo "$token"
}

api() {  # $1 token, $2 method, $3 path, rest: curl options → body (fails on HTTP errors)
  local token=$1 method=$2 path=$3; shift 3
  curl -fsS -X "$method" -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT$path" "$@"
}

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
