"""The national performance user (spec/national.md): a role, and its grade for databases already seeded."""

from typing import Any

from django.db import migrations, models


def add_grade(apps: Any, schema_editor: Any) -> None:
    apps.get_model("organisation", "Grade").objects.update_or_create(
        code="NPD",
        defaults={
            "name": "National performance team (NPD)",
            "role": "national_performance",
            "holds_caseload": False,
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0001_initial"),
        ("cases", "0002_reference_data"),
    ]

    operations = [
        migrations.AlterField(
            model_name="grade",
            name="role",
            field=models.CharField(
                choices=[
                    ("offender_manager", "Offender manager"),
                    ("spo", "Senior probation officer"),
                    ("case_administrator", "Case administrator"),
                    ("senior_manager", "Senior manager"),
                    ("vlo", "Victim liaison officer"),
                    ("interventions", "Interventions staff"),
                    ("partner_agency", "Partner agency worker"),
                    ("prison_offender_supervisor", "Prison offender supervisor"),
                    ("inspector", "Inspector or area assessor"),
                    ("national_performance", "National performance user"),
                ],
                max_length=40,
            ),
        ),
        migrations.RunPython(add_grade, migrations.RunPython.noop),
    ]
