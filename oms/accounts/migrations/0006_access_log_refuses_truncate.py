from django.db import migrations

# On PostgreSQL TRUNCATE fires no row trigger, so the append-only trigger of 0004 never sees it: a
# statement trigger refuses it too, for every role but the table's owner. (The owner may also
# disable triggers, so the owner is the role that runs `oms migrate`, never the application: see
# README, "Database roles". Django's test database flush runs as the owner.)
CREATE = """
CREATE OR REPLACE FUNCTION oms_access_log_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'The access log is append-only: TRUNCATE refused';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER oms_access_log_refuse_truncate
    BEFORE TRUNCATE ON accounts_accesslogentry
    FOR EACH STATEMENT EXECUTE FUNCTION oms_access_log_refuse_truncate();
"""
DROP = """
DROP TRIGGER IF EXISTS oms_access_log_refuse_truncate ON accounts_accesslogentry;
DROP FUNCTION IF EXISTS oms_access_log_refuse_truncate();
"""


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_request_counters")]

    operations = [migrations.RunPython(forwards, backwards)]
