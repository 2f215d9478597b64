#!/usr/bin/env bash
# Runs every test project against a throwaway PostgreSQL and Debian's Chromium, then prints "N passed, N failed".
# Installs what is missing (PostgreSQL 15 + contrib, chromium, Vietnamese-capable fonts); never prompts.
set -uo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

ensure_dotnet
ensure_postgres
if ! dpkg -s chromium fonts-noto-core fonts-liberation2 fonts-noto-mono >/dev/null 2>&1; then
  echo "· Cài Chromium và phông chữ tiếng Việt…"
  apt_install chromium fonts-noto-core fonts-liberation2 fonts-noto-mono fontconfig
fi

# Independent oracles for the signature tests (SIGNATURES.md §9): poppler's pdfsig, OpenSSL, NSS certutil, qpdf.
if ! command -v pdfsig >/dev/null || ! command -v qpdf >/dev/null || ! command -v certutil >/dev/null || ! command -v openssl >/dev/null; then
  echo "· Cài poppler-utils, qpdf, libnss3-tools, openssl cho kiểm thử chữ ký số…"
  apt_install poppler-utils qpdf libnss3-tools openssl
fi
# zbarimg reads the QR code back from a rendered receipt (tests/Portal.Core.Tests/Documents).
if ! command -v zbarimg >/dev/null; then
  echo "· Cài zbar-tools để đọc mã QR trên giấy xác nhận…"
  apt_install zbar-tools
fi
command -v java >/dev/null || { echo "· Cài Java cho trình kiểm tra HTML…"; apt_install openjdk-17-jre-headless; }
command -v node >/dev/null || { echo "· Cài Node.js cho Lighthouse…"; apt_install nodejs npm; }
# Page checkers pinned in tools/package-lock.json; npm runs no install scripts, so nothing downloads a browser or a JVM.
if [ ! -d tools/node_modules ] || [ tools/package-lock.json -nt tools/node_modules ]; then
  echo "· npm ci (tools/: vnu-jar, lighthouse)…"
  (cd tools && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) || { echo "0 passed, 1 failed"; exit 1; }
  touch tools/node_modules
fi

PG_DIR=$(mktemp -d /tmp/portal-test-pg.XXXXXX)
stop_test_postgres() { pg_stop "$PG_DIR/data"; rm -rf "$PG_DIR"; }
trap stop_test_postgres EXIT
pg_user_setup "$PG_DIR"
"${AS_PG[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
PG_PORT=$(free_port 55532)
# fsync off: a throwaway cluster; max_connections up because every test database has its own pool.
pg_start "$PG_DIR/data" "$PG_PORT" "$PG_DIR/server.log" \
  -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 || {
  cat "$PG_DIR/server.log"; exit 1; }
export PORTAL_TEST_DATABASE="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"

# A real SMTP server for the mail tests (issue 7): Debian's aiosmtpd on loopback, delivering into a Maildir the tests
# read back. Debian's own interpreter: a python3 earlier on PATH (pyenv) does not see Debian's packages.
/usr/bin/python3 -c "import aiosmtpd" 2>/dev/null || { echo "· Cài python3-aiosmtpd (máy chủ SMTP cho kiểm thử thư)…"; apt_install python3-aiosmtpd; }
SMTP_PORT=$(free_port 25250)
MAIL_DIR=$(mktemp -d /tmp/portal-test-mail.XXXXXX)
/usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$MAIL_DIR/maildir" > "$MAIL_DIR/smtp.log" 2>&1 &
SMTP_PID=$!
stop_test_servers() { kill "$SMTP_PID" 2>/dev/null; rm -rf "$MAIL_DIR"; stop_test_postgres; }
trap stop_test_servers EXIT
for _ in $(seq 50); do (echo > "/dev/tcp/127.0.0.1/$SMTP_PORT") 2>/dev/null && break; sleep 0.1; done
export PORTAL_TEST_SMTP="127.0.0.1:$SMTP_PORT" PORTAL_TEST_MAILDIR="$MAIL_DIR/maildir"

rm -rf artifacts/html artifacts/lighthouse
mkdir -p artifacts
echo "· Biên dịch (Release, cảnh báo là lỗi)…"
if ! dotnet build Portal.sln -c Release --nologo -v quiet -clp:ErrorsOnly > artifacts/build.log 2>&1; then
  cat artifacts/build.log
  echo "0 passed, 1 failed"
  exit 1
fi

passed=0; failed=0; status=0
for project in tests/Portal.Core.Tests tests/Portal.Web.Tests tests/Portal.BrowserTests; do
  name=$(basename "$project")
  echo "· $name"
  dotnet test "$project" -c Release --no-build --nologo --logger "console;verbosity=minimal" \
    --results-directory "artifacts/$name" --logger "trx;LogFileName=$name.trx" > "artifacts/$name.log" 2>&1
  code=$?
  grep -E '^\s*(Failed |Error Message|Passed!|Failed!)|^\s+at |Assert\.' "artifacts/$name.log" | head -200
  summary=$(grep -E '(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+' "artifacts/$name.log" | tail -1)
  if [ -n "$summary" ]; then
    f=$(sed -E 's/.*Failed: +([0-9]+),.*/\1/' <<<"$summary")
    p=$(sed -E 's/.*Passed: +([0-9]+),.*/\1/' <<<"$summary")
    passed=$((passed + p)); failed=$((failed + f))
  else
    tail -40 "artifacts/$name.log"
    failed=$((failed + 1))         # the run itself broke: count it as a failure
  fi
  [ $code -eq 0 ] || status=1
done

# Gate 3 (UX.md §5.1): the Nu HTML Checker finds no error in the pages the browser journeys saved.
echo "· Nu HTML Checker (artifacts/html)"
if [ -n "$(ls artifacts/html 2>/dev/null)" ] && java -jar tools/node_modules/vnu-jar/build/dist/vnu.jar --errors-only --stdout --format gnu artifacts/html/; then
  echo "  $(ls artifacts/html | wc -l) pages valid"; passed=$((passed + 1))
else
  echo "  HTML errors above (or no pages were saved)"; failed=$((failed + 1)); status=1
fi

echo "$passed passed, $failed failed"
[ $status -eq 0 ] && [ $failed -eq 0 ]
