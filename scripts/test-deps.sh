#!/usr/bin/env bash
# Installs what some tests need, from Debian's packages, when missing:
#  - Django with its PostgreSQL and MySQL drivers, for /usr/bin/python3 (the framework tests);
#  - Chromium, to render report.html headless (the HTML report test);
#  - zstd (the --compress zstd tests) and GNU time (peak memory of a pgmy run, in the huge-value test);
#  - PostGIS for PostgreSQL 15 (the PostGIS application test).
# Each test skips, and says why, without them.
set -euo pipefail
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
packages=()
/usr/bin/python3 -c 'import django, psycopg2, MySQLdb' 2>/dev/null || packages+=(python3-django python3-psycopg2 python3-mysqldb)
[ -x /usr/bin/chromium ] || packages+=(chromium)
command -v zstd >/dev/null || packages+=(zstd)
[ -x /usr/bin/time ] || packages+=(time)
[ -f /usr/share/postgresql/15/extension/postgis.control ] || packages+=(postgresql-15-postgis-3)
[ ${#packages[@]} -eq 0 ] && exit 0
echo "test-deps: installing ${packages[*]}" >&2
as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
