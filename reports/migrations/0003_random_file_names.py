"""Plans are stored under random names instead of an HMAC of the secret key.

Each existing version gets its own key (AddField would give them all the same
one) and its PDF is copied to the new name; the old file is deleted once the
migration has committed.
"""

import secrets

from django.core.files.storage import default_storage
from django.db import migrations, models, transaction

import reports.models


def rename_plans(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    for report in Report.objects.order_by("pk").iterator():
        report.file_key = secrets.token_hex(16)
        old = report.file.name
        if old and default_storage.exists(old):
            new = (
                f"reports/{report.assessment_id}/"
                f"plan-action-v{report.version}-{report.file_key}.pdf"
            )
            with default_storage.open(old, "rb") as data:
                report.file.name = default_storage.save(new, data)
            transaction.on_commit(lambda name=old: default_storage.delete(name))
        report.save(update_fields=["file_key", "file"])


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_adjustments"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="file_key",
            field=models.CharField(
                default=reports.models.new_file_key, editable=False, max_length=32
            ),
        ),
        migrations.RunPython(rename_plans, migrations.RunPython.noop, elidable=True),
    ]
