#!/usr/bin/env bash
# npm run demo: brings the local servers up, creates a sample PostgreSQL database from the project's own
# Django-style fixture, migrates it into MariaDB with pgmy, and proves every row arrived.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/services.sh

PG=${PGMY_DEMO_PG:-postgres://postgres@127.0.0.1:5432}
MY=${PGMY_DEMO_MY:-mysql://root@127.0.0.1:3306}
DB=pgmy_demo
OUT=demo-out/snap

echo "== creating PostgreSQL database $DB from test/fixtures/django-shop.sql"
psql -X -q -d "$PG/postgres" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
psql -X -q -v ON_ERROR_STOP=1 -d "$PG/$DB" -f test/fixtures/django-shop.sql >/dev/null
mariadb --protocol=tcp -h 127.0.0.1 -uroot -e "DROP DATABASE IF EXISTS $DB"
rm -rf "$OUT"

echo "== pgmy migrate (dump to $OUT, then load into MariaDB database $DB)"
node bin/pgmy.js migrate --source "$PG/$DB" --target "$MY/$DB" --out "$OUT" --chunk-size 256KiB

echo "== pgmy verify (every row of every table, both servers)"
node bin/pgmy.js verify --source "$PG/$DB" --target "$MY/$DB" "$OUT"
echo "== done: look at $OUT (schema.sql, post-data.sql, manifest.json, data/) and at MariaDB database $DB"
