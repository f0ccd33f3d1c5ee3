"""On PostgreSQL the database itself refuses UPDATE and DELETE on the audit table, so neither a bug nor a
hand-typed `psql` statement can rewrite history. TRUNCATE stays possible for the table owner (test flushes,
a deliberate purge by operations). Other databases rely on the model and QuerySet guards."""

from django.db import migrations

TABLE = "auditlog_auditevent"

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION auditlog_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit journal is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
"""

CREATE_TRIGGER = f"""
CREATE TRIGGER auditlog_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION auditlog_refuse_change()
"""

DROP = [f"DROP TRIGGER IF EXISTS auditlog_append_only ON {TABLE}", "DROP FUNCTION IF EXISTS auditlog_refuse_change()"]


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # params=None: the function body contains '%' placeholders of RAISE, not query parameters.
        schema_editor.execute(CREATE_FUNCTION, params=None)
        schema_editor.execute(CREATE_TRIGGER, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("auditlog", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger, elidable=False)]
