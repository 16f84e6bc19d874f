"""A MAPPA action's owner is a member of staff, or another agency (issue 10 rule 5). The free text
recorded so far named agencies and roles, not people: it is kept as the agency."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("interventions", "0002_mappa_referral_decision"),
        ("organisation", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="mappaaction", old_name="owner", new_name="owner_agency"),
        migrations.RenameField(model_name="historicalmappaaction", old_name="owner", new_name="owner_agency"),
        migrations.AlterField(
            model_name="mappaaction",
            name="owner_agency",
            field=models.CharField(
                blank=True, help_text="Another agency that will do it (e.g. Police)", max_length=100
            ),
        ),
        migrations.AlterField(
            model_name="historicalmappaaction",
            name="owner_agency",
            field=models.CharField(
                blank=True, help_text="Another agency that will do it (e.g. Police)", max_length=100
            ),
        ),
        migrations.AddField(
            model_name="mappaaction",
            name="owner_staff",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="mappa_actions",
                to="organisation.staff",
            ),
        ),
        migrations.AddField(
            model_name="historicalmappaaction",
            name="owner_staff",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="organisation.staff",
            ),
        ),
    ]
