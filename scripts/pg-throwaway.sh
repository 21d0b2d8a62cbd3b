# A throwaway PostgreSQL cluster for tests and benchmarks: `source` this file, then
# pg_throwaway_start (exports PG_THROWAWAY_URL) and pg_throwaway_stop.
# initdb refuses to run as root, so the cluster belongs to the postgres user.

pg_throwaway_start() {
  local bindir port dir owner
  bindir="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  port="${PG_THROWAWAY_PORT:-54329}"
  dir="$(mktemp -d /tmp/shebao-pg.XXXXXX)"
  owner="$(id -un)"
  if [ "$(id -u)" = "0" ]; then owner=postgres; chown postgres "$dir"; fi
  local run=(); [ "$owner" != "$(id -un)" ] && run=(runuser -u "$owner" --)
  "${run[@]}" "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
shared_buffers = 1GB
work_mem = 64MB
maintenance_work_mem = 512MB
max_wal_size = 8GB
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
  "${run[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w start >/dev/null
  "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres shebao_test
  export PG_THROWAWAY_DIR="$dir" PG_THROWAWAY_BIN="$bindir" PG_THROWAWAY_OWNER="$owner"
  export PG_THROWAWAY_URL="postgres://postgres@127.0.0.1:$port/shebao_test"
  echo "# PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') started at 127.0.0.1:$port"
}

pg_throwaway_stop() {
  [ -n "${PG_THROWAWAY_DIR:-}" ] || return 0
  local run=(); [ "$PG_THROWAWAY_OWNER" != "$(id -un)" ] && run=(runuser -u "$PG_THROWAWAY_OWNER" --)
  "${run[@]}" "$PG_THROWAWAY_BIN/pg_ctl" -D "$PG_THROWAWAY_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_THROWAWAY_DIR"
}
