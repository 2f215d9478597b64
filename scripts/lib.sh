# Shared by run.sh and test.sh: installing what is missing and running a private PostgreSQL cluster.
# shellcheck shell=bash

PG_VERSION=15
PG_BIN=/usr/lib/postgresql/$PG_VERSION/bin
export DEBIAN_FRONTEND=noninteractive

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else
    echo "Cần quyền root để cài: $* (chạy lại bằng root hoặc cài trước)." >&2; return 1; fi
}

APT_UPDATED=0
apt_install() {
  [ "$APT_UPDATED" = 1 ] || { as_root apt-get update -qq >/dev/null; APT_UPDATED=1; }
  as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

ensure_postgres() {
  if [ ! -x "$PG_BIN/initdb" ] || [ ! -f "/usr/share/postgresql/$PG_VERSION/extension/unaccent.control" ]; then
    echo "· Cài PostgreSQL $PG_VERSION (server + contrib)…"
    apt_install "postgresql-$PG_VERSION" postgresql-contrib
  fi
  command -v psql >/dev/null || apt_install postgresql-client
}

ensure_dotnet() {
  command -v dotnet >/dev/null || { echo "Không tìm thấy .NET SDK (dotnet). Cài .NET SDK 10 rồi chạy lại." >&2; exit 1; }
}

free_port() {   # first free loopback port at or above $1
  local p=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
  echo "$p"
}

# initdb refuses to run as root, so as root the cluster belongs to the postgres user.
AS_PG=()
pg_user_setup() {  # $1 = directory that will hold the cluster
  if [ "$(id -u)" = 0 ]; then
    AS_PG=(runuser -u postgres --)
    chown postgres: "$1"
    if ! runuser -u postgres -- test -w "$1"; then
      echo "Người dùng postgres không vào được $1 (thư mục cha không cho phép). Hãy đặt mã nguồn ở nơi khác, ví dụ /srv hoặc /work, hoặc dùng PORTAL_DATABASE." >&2
      exit 1
    fi
  fi
}

# A throwaway cluster for a benchmark: $1 work directory (the cluster goes to $1/pg), $2 first port to try, extra
# -c options after. Sets PG_PORT.
pg_scratch() {
  local work=$1 from=$2; shift 2
  chmod 755 "$work"          # the postgres user must reach the cluster inside it
  mkdir -p "$work/pg"
  pg_user_setup "$work/pg"
  "${AS_PG[@]}" "$PG_BIN/initdb" -D "$work/pg/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  PG_PORT=$(free_port "$from")
  pg_start "$work/pg/data" "$PG_PORT" "$work/pg/server.log" "$@"
}

# $1 data dir, $2 port, $3 log file, extra -c options after
pg_start() {
  local dir=$1 port=$2 log=$3; shift 3
  "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$dir" -l "$log" -w -s -t 60 start \
    -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 $*"
}

pg_stop() {
  "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$1" -m fast -w -s stop >/dev/null 2>&1 || true
}
