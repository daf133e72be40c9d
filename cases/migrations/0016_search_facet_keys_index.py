"""A GIN index on the index rows' facet keys (PostgreSQL): a list with a facet chosen and
nothing searched counts over the rows having that value (cases/facets.py, issue 20), found
by the index instead of by reading every row. SQLite reads them all (small databases)."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS search_facet_keys ON cases_searchdocument USING gin (facet_keys)"
)
DROP = "DROP INDEX IF EXISTS search_facet_keys"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("cases", "0015_facet_count")]

    operations = [migrations.RunPython(create, drop)]
