"""Database guards of the ledger: a posted entry or line cannot be changed, and on
PostgreSQL an entry whose lines do not balance cannot be committed.

SQLite gets the "no update" triggers; PostgreSQL also refuses deletes and checks the balance
with a deferred constraint trigger (it runs at commit, after every line is in)."""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE TRIGGER funds_journalentry_no_update BEFORE UPDATE ON funds_journalentry
    BEGIN SELECT RAISE(ABORT, 'posted journal entries cannot be changed; post a reversal'); END""",
    """CREATE TRIGGER funds_journalline_no_update BEFORE UPDATE ON funds_journalline
    BEGIN SELECT RAISE(ABORT, 'posted journal lines cannot be changed; post a reversal'); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS funds_journalentry_no_update",
    "DROP TRIGGER IF EXISTS funds_journalline_no_update",
]

POSTGRES_FORWARD = [
    """CREATE FUNCTION funds_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'posted % rows cannot be changed or deleted; post a reversal', TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER funds_journalentry_no_change BEFORE UPDATE OR DELETE ON funds_journalentry
    FOR EACH ROW EXECUTE FUNCTION funds_refuse_change()""",
    """CREATE TRIGGER funds_journalline_no_change BEFORE UPDATE OR DELETE ON funds_journalline
    FOR EACH ROW EXECUTE FUNCTION funds_refuse_change()""",
    """CREATE FUNCTION funds_entry_must_balance() RETURNS trigger AS $$
    DECLARE
        debits numeric;
        credits numeric;
    BEGIN
        SELECT coalesce(sum(debit), 0), coalesce(sum(credit), 0) INTO debits, credits
            FROM funds_journalline WHERE entry_id = NEW.entry_id;
        IF debits <> credits THEN
            RAISE EXCEPTION 'journal entry % does not balance (debits %, credits %)',
                NEW.entry_id, debits, credits USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    """CREATE CONSTRAINT TRIGGER funds_journalline_balanced AFTER INSERT ON funds_journalline
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION funds_entry_must_balance()""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS funds_journalline_balanced ON funds_journalline",
    "DROP FUNCTION IF EXISTS funds_entry_must_balance()",
    "DROP TRIGGER IF EXISTS funds_journalline_no_change ON funds_journalline",
    "DROP TRIGGER IF EXISTS funds_journalentry_no_change ON funds_journalentry",
    "DROP FUNCTION IF EXISTS funds_refuse_change()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
