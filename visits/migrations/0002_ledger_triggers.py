"""On PostgreSQL the database itself keeps the ledger honest:

* UPDATE and DELETE on ledger entries are refused (as on the audit journal); TRUNCATE stays possible for the
  table owner (test flushes, a deliberate purge by operations);
* a deferred constraint trigger refuses, at commit, a transaction whose money legs (`txn`) do not sum to zero
  — after django-hordak's `check_leg`. Other databases rely on the model, the QuerySet and `check_ledger`."""

from django.db import migrations

TABLE = "visits_ledgerentry"

STATEMENTS = [
    """
CREATE OR REPLACE FUNCTION visits_ledger_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
""",
    f"""
CREATE TRIGGER visits_ledger_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION visits_ledger_refuse_change()
""",
    f"""
CREATE OR REPLACE FUNCTION visits_ledger_check_balance() RETURNS trigger AS $$
DECLARE
    total numeric;
BEGIN
    SELECT COALESCE(SUM(amount), 0) INTO total FROM {TABLE} WHERE txn = NEW.txn;
    IF total <> 0 THEN
        RAISE EXCEPTION 'ledger transaction % does not balance: its legs sum to %', NEW.txn, total
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
    f"""
CREATE CONSTRAINT TRIGGER visits_ledger_balanced
    AFTER INSERT ON {TABLE}
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION visits_ledger_check_balance()
""",
]

DROP = [
    f"DROP TRIGGER IF EXISTS visits_ledger_balanced ON {TABLE}",
    "DROP FUNCTION IF EXISTS visits_ledger_check_balance()",
    f"DROP TRIGGER IF EXISTS visits_ledger_append_only ON {TABLE}",
    "DROP FUNCTION IF EXISTS visits_ledger_refuse_change()",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in STATEMENTS:
            schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("visits", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
