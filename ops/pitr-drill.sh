#!/usr/bin/env bash
# Point-in-time recovery drill for SafeHarbor on PostgreSQL. Run it on a machine with the
# PostgreSQL server binaries (Debian: apt-get install postgresql) from the repository root:
#
#     bash ops/pitr-drill.sh
#
# It never touches a real database: it builds a scratch cluster in a temporary folder with
# WAL archiving on, loads SafeHarbor's schema and the synthetic demo, takes a base backup,
# records more audited work, notes the time, then makes a "mistake" (overwrites every
# agency's name). It then throws the cluster away, recovers the base backup plus archived
# WAL to the noted time, and checks that the work before that moment is there, the mistake
# is not, and every audit hash chain still verifies. It prints how long each step took.
#
# Settings: PGBIN (server binaries; default the newest /usr/lib/postgresql/*/bin),
# DRILL_PORT (default 54329; the recovered cluster uses the next port), KEEP=1 to keep the
# scratch folder for inspection. As root, the server runs as the "postgres" OS user.
set -euo pipefail
cd "$(dirname "$0")/.."

PGBIN="${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "PostgreSQL server binaries not found; set PGBIN (e.g. /usr/lib/postgresql/15/bin)." >&2
  exit 2
fi
SAFEHARBOR="${SAFEHARBOR:-.venv/bin/safeharbor}"
PORT="${DRILL_PORT:-54329}"
RPORT=$((PORT + 1))
WORK="$(mktemp -d /tmp/safeharbor-pitr-drill.XXXXXX)"
chmod 755 "$WORK"
mkdir -p "$WORK/wal" "$WORK/var"

if [ "$(id -u)" = 0 ]; then
  chown postgres "$WORK" "$WORK/wal"
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

started=$SECONDS
step() { echo "--- [$((SECONDS - started))s] $*"; }

cleanup() {
  as_pg "$PGBIN/pg_ctl" -D "$WORK/primary" -m immediate stop >/dev/null 2>&1 || true
  as_pg "$PGBIN/pg_ctl" -D "$WORK/recovered" -m fast stop >/dev/null 2>&1 || true
  if [ "${KEEP:-0}" = 1 ]; then echo "Kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

sql() { # sql PORT "SQL" -> one value
  psql -X -q -At -h 127.0.0.1 -p "$1" -U postgres -d safeharbor -c "$2"
}

step "Creating a scratch cluster with WAL archiving (port $PORT)"
as_pg "$PGBIN/initdb" -D "$WORK/primary" -U postgres --auth=trust >/dev/null
cat >>"$WORK/primary/postgresql.conf" <<EOF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$WORK'
wal_level = replica
archive_mode = on
archive_command = 'test ! -f $WORK/wal/%f && cp %p $WORK/wal/%f'
EOF
as_pg "$PGBIN/pg_ctl" -D "$WORK/primary" -l "$WORK/primary.log" -w start >/dev/null
psql -X -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -c "CREATE DATABASE safeharbor"

export DJANGO_SETTINGS_MODULE=safeharbor.settings.dev
export SAFEHARBOR_VAR_DIR="$WORK/var"
export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/safeharbor"
export SAFEHARBOR_LOG=WARNING

step "Loading SafeHarbor's schema and the synthetic demo"
"$SAFEHARBOR" migrate --verbosity 0
"$SAFEHARBOR" load-demo >/dev/null

step "Taking a base backup (pg_basebackup)"
as_pg "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PORT" -U postgres -D "$WORK/base" \
  -X stream -c fast

step "Recording more audited work after the base backup"
"$SAFEHARBOR" shell --no-imports -c "
from safeharbor.accounts.models import Agency
from safeharbor.audit.services import audit_record
for agency in Agency.objects.order_by('pk'):
    audit_record(action='view', agency_id=agency.pk, object_type='drill.probe', object_id='1')
"
good_events=$(sql "$PORT" "SELECT count(*) FROM audit_auditevent")
good_names=$(sql "$PORT" "SELECT string_agg(name, '|' ORDER BY id) FROM accounts_agency")
sleep 1
target=$(sql "$PORT" "SELECT now()")
sleep 1

step "The mistake: every agency renamed at $(sql "$PORT" "SELECT now()")"
sql "$PORT" "UPDATE accounts_agency SET name = 'overwritten by mistake'" >/dev/null
sql "$PORT" "SELECT pg_switch_wal()" >/dev/null
for _ in $(seq 1 30); do
  last=$(sql "$PORT" "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver")
  current=$(sql "$PORT" "SELECT pg_walfile_name(pg_current_wal_lsn())")
  [ -n "$last" ] && [[ "$last" < "$current" ]] && break
  sleep 1
done

step "Losing the primary (immediate stop) and recovering to $target"
as_pg "$PGBIN/pg_ctl" -D "$WORK/primary" -m immediate stop >/dev/null
as_pg cp -a "$WORK/base" "$WORK/recovered"
cat >>"$WORK/recovered/postgresql.conf" <<EOF
port = $RPORT
archive_mode = off
restore_command = 'cp $WORK/wal/%f %p'
recovery_target_time = '$target'
recovery_target_action = 'promote'
EOF
as_pg touch "$WORK/recovered/recovery.signal"
as_pg "$PGBIN/pg_ctl" -D "$WORK/recovered" -l "$WORK/recovered.log" -w -t 120 start >/dev/null
for _ in $(seq 1 60); do
  [ "$(sql "$RPORT" "SELECT pg_is_in_recovery()")" = f ] && break
  sleep 1
done

step "Checking the recovered database"
export DATABASE_URL="postgres://postgres@127.0.0.1:$RPORT/safeharbor"
events=$(sql "$RPORT" "SELECT count(*) FROM audit_auditevent")
names=$(sql "$RPORT" "SELECT string_agg(name, '|' ORDER BY id) FROM accounts_agency")
failed=0
if [ "$events" != "$good_events" ]; then
  echo "FAIL: $events audit events after recovery, expected $good_events"; failed=1
fi
if [ "$names" != "$good_names" ]; then
  echo "FAIL: agency names differ from before the mistake"; failed=1
fi
"$SAFEHARBOR" shell --no-imports -c "
from safeharbor.audit.hashing import event_digest
from safeharbor.audit.models import GENESIS_HASH, AuditChain, AuditEvent
bad = 0
for head in AuditChain.objects.all():
    previous = GENESIS_HASH
    for event in AuditEvent.objects.filter(chain=head.key).order_by('seq'):
        values = {f: getattr(event, f) for f in ('chain', 'seq', 'occurred_at', 'actor_kind',
                  'actor_id', 'agency_id', 'action', 'object_type', 'object_id', 'fields',
                  'outcome', 'reason', 'request_id')}
        if event.prev_hash != previous or event.hash != event_digest(values, previous):
            bad += 1
        previous = event.hash
    if previous != head.last_hash:
        bad += 1
print(f'audit chains checked: {AuditChain.objects.count()}, problems: {bad}')
raise SystemExit(1 if bad else 0)
" || failed=1

if [ "$failed" = 0 ]; then
  echo "PASS: recovered to $target in a drill of $((SECONDS - started))s:" \
    "$events audit events, agency names as before the mistake, audit chains intact."
else
  echo "The drill FAILED; rerun with KEEP=1 and read $WORK/recovered.log." >&2
  exit 1
fi
