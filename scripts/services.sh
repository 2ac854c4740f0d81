#!/usr/bin/env bash
# Makes sure PostgreSQL and MariaDB are running and reachable on 127.0.0.1 the way pgmy's tests and demo
# expect them (PostgreSQL 5432, trust auth, roles postgres and root; MariaDB 3306, root with an empty
# password, local_infile on). Installs them from Debian's packages when missing, starts them when stopped,
# and does nothing when they are already up. Meant for development and CI machines: on a fresh install it
# opens local connections without passwords.
set -euo pipefail

log() { echo "services: $*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
wait_for() { # what, command...
  local what=$1; shift
  for _ in $(seq 1 60); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  log "$what did not come up"; return 1
}

pg_ok() { psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; }
my_ok() { mariadb --protocol=tcp -h 127.0.0.1 -P 3306 -uroot -e 'select 1' >/dev/null 2>&1; }

# --- PostgreSQL ---------------------------------------------------------------------------------------
if ! pg_ok; then
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    log "installing PostgreSQL from Debian's packages"
    apt_install postgresql postgresql-client
  fi
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    log "starting PostgreSQL $version"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    wait_for "PostgreSQL" pg_isready -h 127.0.0.1 -p 5432 -q
  fi
  if ! pg_ok; then
    log "allowing local connections without a password (trust) for development"
    hba=/etc/postgresql/$version/main/pg_hba.conf
    as_root sed -i -E 's/^(local|host)(\s+all\s+all\s+.*)\s(peer|md5|scram-sha-256)\s*$/\1\2 trust/' "$hba"
    as_root sed -i -E 's/^(local\s+all\s+postgres\s+)peer/\1trust/' "$hba"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload
    wait_for "PostgreSQL (trust)" pg_ok
  fi
  psql -h 127.0.0.1 -U postgres -d postgres -Atqc "select 1 from pg_roles where rolname = 'root'" | grep -q 1 ||
    psql -h 127.0.0.1 -U postgres -d postgres -qc 'CREATE ROLE root SUPERUSER LOGIN'
fi
log "PostgreSQL is up on 127.0.0.1:5432"

# --- MariaDB ------------------------------------------------------------------------------------------
if ! my_ok; then
  if [ ! -x /usr/sbin/mariadbd ]; then
    log "installing MariaDB from Debian's packages"
    apt_install mariadb-server mariadb-client
  fi
  if ! mariadb-admin --protocol=tcp -h 127.0.0.1 -P 3306 ping >/dev/null 2>&1 && ! mariadb-admin ping >/dev/null 2>&1; then
    log "starting MariaDB"
    as_root mkdir -p /run/mysqld
    as_root chown mysql:mysql /run/mysqld
    as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
    wait_for "MariaDB" mariadb-admin ping
  fi
  if ! my_ok; then
    log "letting root connect over TCP with an empty password, for development"
    as_root mariadb -uroot -e "ALTER USER root@localhost IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD(''); FLUSH PRIVILEGES;"
    wait_for "MariaDB (root over TCP)" my_ok
  fi
fi
if [ "$(mariadb --protocol=tcp -h 127.0.0.1 -uroot -Nse 'select @@global.local_infile')" != "1" ]; then
  mariadb --protocol=tcp -h 127.0.0.1 -uroot -e 'SET GLOBAL local_infile = 1'
fi
log "MariaDB is up on 127.0.0.1:3306"
