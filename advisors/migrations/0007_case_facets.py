"""The diagnostic's facets copied onto its cases, for the queue's filters.

Adds the columns, fills them for the existing cases from their diagnostics
and outcomes (one UPDATE … FROM, which PostgreSQL and SQLite ≥ 3.33 both
run), then builds the indexes over the filled table. The company search reads
the name from the default order's index (an index-only scan of the
organisation's active cases): a trigram index's bitmap would visit the table
for each of the many matches of a common name.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

BACKFILL = """
UPDATE advisors_case SET
    company_name = a.company_name,
    department_id = a.department_id,
    sector_id = a.sector_id,
    size_band_id = a.size_band_id,
    overall = o.overall,
    level = o.level,
    stone = COALESCE(o.stone_category, '')
FROM assessment_assessment AS a
LEFT JOIN assessment_outcome AS o ON o.assessment_id = a.id
WHERE a.id = advisors_case.assessment_id
"""


def backfill(apps, schema_editor):
    schema_editor.execute(BACKFILL)


class Migration(migrations.Migration):

    dependencies = [
        ('advisors', '0006_active_case_indexes'),
        ('assessment', '0005_pulse_moved'),
        ('catalog', '0005_advice_uptake_services_naf'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='case',
            name='advisors_case_active_shared',
        ),
        migrations.AddField(
            model_name='case',
            name='company_name',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name='case',
            name='department',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalog.department'),
        ),
        migrations.AddField(
            model_name='case',
            name='level',
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.AddField(
            model_name='case',
            name='overall',
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.AddField(
            model_name='case',
            name='sector',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalog.sector'),
        ),
        migrations.AddField(
            model_name='case',
            name='size_band',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalog.sizeband'),
        ),
        migrations.AddField(
            model_name='case',
            name='stone',
            field=models.SlugField(blank=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('withdrawn_at__isnull', True)), fields=['organisation', '-shared_at', '-id', 'company_name'], name='advisors_case_recent'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('withdrawn_at__isnull', True)), fields=['organisation', 'department', '-shared_at'], name='advisors_case_dept'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('withdrawn_at__isnull', True)), fields=['organisation', 'department', '-overall', '-id'], name='advisors_case_dept_score'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('withdrawn_at__isnull', True)), fields=['organisation', 'sector', 'size_band', '-shared_at'], name='advisors_case_sector'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('withdrawn_at__isnull', True)), fields=['organisation', 'level', 'stone', '-shared_at'], name='advisors_case_level'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('withdrawn_at__isnull', True)), fields=['organisation', '-overall', '-id'], name='advisors_case_score'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('withdrawn_at__isnull', True)), fields=['organisation', 'company_name', 'id'], name='advisors_case_company'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('withdrawn_at__isnull', True)), fields=['organisation', '-updated_at', '-id'], name='advisors_case_updated'),
        ),
    ]
