#!/usr/bin/env bash
# Installs what the framework test needs, from Debian's packages: Django with its PostgreSQL and MySQL
# drivers, for /usr/bin/python3. Does nothing when they are there; the test skips (and says why) without them.
set -euo pipefail
if /usr/bin/python3 -c 'import django, psycopg2, MySQLdb' 2>/dev/null; then exit 0; fi
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
echo "test-deps: installing python3-django python3-psycopg2 python3-mysqldb" >&2
as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-django python3-psycopg2 python3-mysqldb >/dev/null
