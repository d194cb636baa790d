"""Company-name search in the queue: a trigram index, on PostgreSQL only.

`icontains` becomes `UPPER(company_name) LIKE UPPER('%…%')`, which no b-tree
can serve; a GIN trigram index on the same expression can. SQLite (one
machine, small volumes) goes without.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS assessment_company_name_trgm ON "
    "assessment_assessment USING gin ((UPPER(company_name::text)) gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS assessment_company_name_trgm"]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("advisors", "0002_apitoken"),
        ("assessment", "0003_pulse"),
    ]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
