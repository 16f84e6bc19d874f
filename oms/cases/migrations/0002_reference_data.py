from django.db import migrations

from oms.cases.reference_data import load_reference_data


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    load_reference_data(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("organisation", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
