#!/usr/bin/env bash
# Brings up a private PostgreSQL server for the tests and prints the connection string on stdout.
# Installs Debian's postgresql package when no server binaries are present (needs root). Idempotent: a server already
# running on the port is reused. Settings: PDS_PG_PORT (55432), PDS_PG_DATA (/tmp/pdsworkflow-pg).
set -euo pipefail

port=${PDS_PG_PORT:-55432}
data=${PDS_PG_DATA:-/tmp/pdsworkflow-pg}
say() { echo "postgres.sh: $*" >&2; }

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

bin=$(find_bin)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    say "no PostgreSQL server binaries and not root: cannot install Debian's postgresql package"
    exit 3
  fi
  say "installing Debian's postgresql package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  bin=$(find_bin)
fi

# PostgreSQL refuses to run as root; as root, the server runs as the package's postgres user.
run=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql --shell /bin/bash postgres
  run=(runuser -u postgres --)
fi

if ! "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
  if [ ! -f "$data/PG_VERSION" ]; then
    mkdir -p "$data"
    [ "$(id -u)" -eq 0 ] && chown postgres "$data"
    "${run[@]}" "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >&2
  fi
  say "starting PostgreSQL on 127.0.0.1:$port (data in $data)"
  "${run[@]}" "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
    -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >&2
fi

# initdb --auth=trust lets anyone in as anyone. The tests log in as the roles the product issues, with the passwords it
# delivered, so every role but the product's own must give its password over TCP (checked again when a running server
# is reused: the lines go first, and the first matching line wins).
hba="$data/pg_hba.conf"
marker="# pdsworkflow: issued roles authenticate with their password"
if [ -f "$hba" ] && ! grep -qF "$marker" "$hba"; then
  say "requiring passwords (scram-sha-256) from every role but postgres and pds in $hba"
  rules=$(printf '%s\n' "$marker" \
    "host all postgres 127.0.0.1/32 trust" "host all pds 127.0.0.1/32 trust" \
    "host all all 127.0.0.1/32 scram-sha-256" "host all all ::1/128 scram-sha-256")
  existing=$(cat "$hba")
  printf '%s\n%s\n' "$rules" "$existing" > "$hba"
  "${run[@]}" "$bin/pg_ctl" -D "$data" reload >&2
fi

psql=("$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt)
if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = 'pds'")" != "1" ]; then
  "${psql[@]}" -c "CREATE ROLE pds LOGIN CREATEDB CREATEROLE PASSWORD 'pds'" >&2
fi
echo "Host=127.0.0.1;Port=$port;Username=pds;Password=pds;Database=postgres;Include Error Detail=true"
