"""Plan versions made by advisors belong to their organisation.

Existing ones go to the organisation their requester belongs to now; those
of a requester who left every organisation stay the owner's alone.
"""

import django.db.models.deletion
from django.db import migrations, models


def link_existing(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    Membership = apps.get_model("advisors", "Membership")
    AdvisorVersion = apps.get_model("advisors", "AdvisorVersion")
    organisation_of = dict(Membership.objects.values_list("user", "organisation"))
    made = Report.objects.filter(requested_by="advisor", requested_by_user__isnull=False)
    AdvisorVersion.objects.bulk_create(
        AdvisorVersion(report_id=pk, organisation_id=organisation_of[user])
        for pk, user in made.values_list("pk", "requested_by_user")
        if user in organisation_of
    )


class Migration(migrations.Migration):
    dependencies = [
        ("advisors", "0003_company_name_search"),
        ("reports", "0002_adjustments"),
    ]

    operations = [
        migrations.CreateModel(
            name="AdvisorVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                           serialize=False, verbose_name="ID")),
                ("organisation", models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, related_name="+",
                    to="advisors.organisation")),
                ("report", models.OneToOneField(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="advisor_version", to="reports.report")),
            ],
        ),  # fmt: skip
        migrations.RunPython(link_existing, migrations.RunPython.noop, elidable=True),
    ]
