#!/usr/bin/env bash
# Sets up and serves Portal: installs what is missing, starts a private PostgreSQL under .data/pg, migrates, loads the
# demo catalogue once, and serves http://127.0.0.1:${PORTAL_PORT:-5080} with background jobs in-process.
# Ctrl-C stops the portal and the database. PORTAL_DATABASE=<connection string> uses an existing server instead.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

PORT=${PORTAL_PORT:-5080}
DATA=$ROOT/.data
APP=$DATA/app
mkdir -p "$DATA"
ensure_dotnet

STARTED_PG=""
cleanup() {
  trap - INT TERM EXIT
  set +e     # under set -e the first failing command would end the trap before PostgreSQL is stopped
  # SIGTERM: a background job of a non-interactive shell ignores SIGINT; ASP.NET stops gracefully on TERM.
  [ -n "${APP_PID:-}" ] && kill -TERM "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null
  if [ -n "$STARTED_PG" ]; then echo "· Dừng PostgreSQL…"; pg_stop "$DATA/pg/data"; fi
}
trap cleanup INT TERM EXIT

if [ -n "${PORTAL_DATABASE:-}" ]; then
  DB_CONN=$PORTAL_DATABASE
else
  ensure_postgres
  PGDIR=$DATA/pg
  if [ ! -f "$PGDIR/data/PG_VERSION" ]; then
    echo "· Tạo cụm PostgreSQL riêng tại $PGDIR…"
    mkdir -p "$PGDIR"
    pg_user_setup "$PGDIR"
    # A password of our own, so other local users cannot read or change the portal's data over TCP.
    head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$PGDIR/password"
    cp "$PGDIR/password" "$PGDIR/pwfile"
    [ "$(id -u)" = 0 ] && chown postgres: "$PGDIR/pwfile"
    "${AS_PG[@]}" "$PG_BIN/initdb" -D "$PGDIR/data" -U postgres --pwfile="$PGDIR/pwfile" \
      --auth-local=peer --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$PGDIR/pwfile"
    free_port 55433 > "$PGDIR/port"
  else
    pg_user_setup "$PGDIR"
  fi
  PG_PORT=$(cat "$PGDIR/port")
  if ! "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PGDIR/data" status >/dev/null 2>&1; then
    if (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null; then   # the remembered port was taken meanwhile
      PG_PORT=$(free_port $((PG_PORT + 1))); echo "$PG_PORT" > "$PGDIR/port"
    fi
    pg_start "$PGDIR/data" "$PG_PORT" "$PGDIR/server.log"
    STARTED_PG=1
  fi
  PASSWORD=$(cat "$PGDIR/password")
  HAS_DB=$(PGPASSWORD=$PASSWORD psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -Atqc \
    "SELECT 1 FROM pg_database WHERE datname = 'portal'")
  [ "$HAS_DB" = 1 ] || PGPASSWORD=$PASSWORD psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qc "CREATE DATABASE portal" >/dev/null
  DB_CONN="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=$PASSWORD;Database=portal"
fi

# Build only when something changed since the last build, so a second start takes seconds.
if [ ! -f "$APP/Portal.Web.dll" ] || [ -n "$(find src db Directory.*.props -newer "$APP/Portal.Web.dll" -type f -print -quit)" ]; then
  echo "· Biên dịch (Release)…"
  dotnet publish src/Portal.Web/Portal.Web.csproj -c Release -o "$APP" --nologo -v quiet
  touch "$APP/Portal.Web.dll"
fi

export ConnectionStrings__Portal=$DB_CONN
export DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production
# Uploaded files (content-addressed by SHA-256) live next to the database, not in the publish folder.
export Portal__Files="$DATA/files"
# The embedded demo serves plain HTTP on loopback; production keeps session cookies Secure (the default).
export Portal__SecureCookies=false
# Links in e-mails written by background jobs and the QR codes on certified copies have no request to take an address
# from: the demo's own address.
export Portal__PublicUrl=${Portal__PublicUrl:-http://127.0.0.1:$PORT}
# Outgoing mail of the demo: .eml files beside the database (the app runs from .data/app). Set Portal__Mail__Host for SMTP.
export Portal__Mail__PickupDirectory=${Portal__Mail__PickupDirectory:-$DATA/mail}
if [ ! -f "$DATA/demo-loaded" ] || [ -n "${PORTAL_DATABASE:-}" ]; then
  if [ "${PORTAL_DEMO:-1}" = 1 ]; then
    echo "· Áp dụng migration và nạp dữ liệu mẫu…"
    (cd "$APP" && dotnet Portal.Web.dll import-catalogue "$ROOT/db/demo/catalogue.json")
    [ -n "${PORTAL_DATABASE:-}" ] || touch "$DATA/demo-loaded"
  fi
fi

# Demo citizen and organisation accounts (demo data only) with generated passwords and API tokens, written once to
# .data/demo-credentials.txt (tab-separated: role, login, password, API token), then the demo staff of every role with
# their staff API tokens (demo-staff); with PORTAL_DATABASE, on every start.
if [ "${PORTAL_DEMO:-1}" != 0 ] && { [ ! -f "$DATA/demo-credentials.txt" ] || [ -n "${PORTAL_DATABASE:-}" ]; }; then
  (cd "$APP" && dotnet Portal.Web.dll demo-applicants "$DATA/demo-credentials.txt")
  (cd "$APP" && dotnet Portal.Web.dll demo-staff "$DATA/demo-credentials.txt")
elif [ "${PORTAL_DEMO:-1}" != 0 ] && ! grep -q '^receiving-officer' "$DATA/demo-credentials.txt"; then
  # A file written before the demo staff existed: add them once.
  (cd "$APP" && dotnet Portal.Web.dll demo-staff "$DATA/demo-credentials.txt")
fi
if [ -f "$DATA/demo-credentials.txt" ]; then
  echo "· Tài khoản công dân và doanh nghiệp (demo): http://127.0.0.1:$PORT/tai-khoan/dang-nhap — email và mật khẩu trong .data/demo-credentials.txt"
  echo "· Cán bộ mọi vai trò (demo): http://127.0.0.1:$PORT/can-bo/dang-nhap — tên đăng nhập, mật khẩu và mã API cán bộ (st_…) cũng trong .data/demo-credentials.txt"
fi

# A demo administrator for /quan-tri (calendar administration); the password is generated once and kept in .data.
if [ "${PORTAL_DEMO:-1}" = 1 ] && [ ! -f "$DATA/admin-password" ]; then
  ADMIN_PASSWORD="quantri-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  (cd "$APP" && PORTAL_STAFF_PASSWORD="$ADMIN_PASSWORD" dotnet Portal.Web.dll add-staff quantri "Quản trị hệ thống (demo)" administrator)
  (umask 077 && echo "$ADMIN_PASSWORD" > "$DATA/admin-password")
fi
if [ -f "$DATA/admin-password" ]; then
  echo "· Cán bộ quản trị (demo): http://127.0.0.1:$PORT/can-bo/dang-nhap — tên đăng nhập quantri, mật khẩu trong .data/admin-password"
fi

# The demo signs what it issues with its own PKI (marked "DEMO - KHÔNG CÓ GIÁ TRỊ PHÁP LÝ"), created once in .data/pki and
# trusted only by this configuration.
if [ "${PORTAL_DEMO:-1}" = 1 ]; then
  [ -f "$DATA/pki/demo-signer.p12" ] || { echo "· Tạo hạ tầng khóa thử nghiệm (demo PKI) trong .data/pki…"; (cd "$APP" && dotnet Portal.Web.dll demo-pki "$DATA/pki"); }
  export Portal__Signatures__ExtraAnchors="$DATA/pki/demo-root.pem"
  export Portal__Signatures__CrlFiles="$DATA/pki/demo-root.crl,$DATA/pki/demo-ca.crl"
  export Portal__Signing__Pkcs12="$DATA/pki/demo-signer.p12" Portal__Signing__PasswordFile="$DATA/pki/demo-signer.password"
  export Portal__Demo=true   # receipts say "DEMO - KHÔNG CÓ GIÁ TRỊ PHÁP LÝ"
  echo "· Chữ ký số: tài liệu do bản demo ký dùng chứng thư thử nghiệm (DEMO - KHÔNG CÓ GIÁ TRỊ PHÁP LÝ); kiểm tra tại http://127.0.0.1:$PORT/kiem-tra-chu-ky"
fi

echo "· Cổng dịch vụ công: http://127.0.0.1:$PORT  (Ctrl-C để dừng)"
cd "$APP"
ASPNETCORE_URLS="http://127.0.0.1:$PORT" dotnet Portal.Web.dll &
APP_PID=$!
wait "$APP_PID" || true
APP_PID=""
