#!/usr/bin/env bash
# The load test from nothing, as CI runs it: a new PostgreSQL database filled with 100,000
# synthetic people (generate.py), locust in its own environment (var/locust), then run.py.
# Arguments go to run.py. The database is named by LOAD_DB (default sh_bench_load_ci) and is
# dropped at the end unless LOAD_KEEP=1.
#
#     bash bench/load/from-scratch.sh --users 50 --time 120 --fail-on errors
set -euo pipefail
cd "$(dirname "$0")/../.."

db="${LOAD_DB:-sh_bench_load_ci}"
case "$db" in sh_bench*) ;; *) echo "LOAD_DB must start with sh_bench" >&2; exit 2 ;; esac
pg=(psql -h 127.0.0.1 -U postgres -q -v ON_ERROR_STOP=1)
url="postgres://postgres@127.0.0.1:5432/${db}"

if [ "${LOAD_KEEP:-0}" != 1 ]; then
  trap '"${pg[@]}" -c "DROP DATABASE IF EXISTS ${db}" postgres >/dev/null 2>&1 || true' EXIT
fi
"${pg[@]}" -c "DROP DATABASE IF EXISTS ${db}" postgres
"${pg[@]}" -c "CREATE DATABASE ${db}" postgres

if [ ! -x var/locust/bin/locust ]; then
  python3 -m venv var/locust
  var/locust/bin/pip install --quiet --disable-pip-version-check -r bench/load/requirements.txt
fi

DATABASE_URL="$url" .venv/bin/safeharbor migrate -v 0
DATABASE_URL="$url" .venv/bin/python bench/load/generate.py --persons "${LOAD_PERSONS:-100000}"
"${pg[@]}" -c "VACUUM ANALYZE" "$db"
DATABASE_URL="$url" .venv/bin/python bench/load/run.py --locust var/locust/bin/locust "$@"
