from django.db import migrations

# On PostgreSQL the access log refuses UPDATE and DELETE at the database itself, whatever connects.
# (SQLite has the application's refusal only: Django's test flush deletes rows with DELETE there.)
CREATE = """
CREATE OR REPLACE FUNCTION oms_access_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The access log is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER oms_access_log_append_only
    BEFORE UPDATE OR DELETE ON accounts_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION oms_access_log_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS oms_access_log_append_only ON accounts_accesslogentry;
DROP FUNCTION IF EXISTS oms_access_log_append_only();
"""


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_cache_table")]

    operations = [migrations.RunPython(forwards, backwards)]
