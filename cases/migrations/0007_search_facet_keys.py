"""Index rows carry their case study's facet values (cases/facets.py counts them there).

The column is added in place: Django's SQLite AddField would rebuild the table and lose the
triggers that keep the FTS table in step (0004). PostgreSQL keeps the keys in the row (storage
MAIN: compressed if need be, not moved to TOAST as the long columns are, see 0006): counting
reads them for every matching row. Existing rows get their keys here; rebuild_search_index
writes the same."""

from django.db import migrations, models

ADD_COLUMN = {
    "postgresql": [
        "ALTER TABLE cases_searchdocument ADD COLUMN facet_keys jsonb NOT NULL DEFAULT '[]'",
        "ALTER TABLE cases_searchdocument ALTER COLUMN facet_keys SET STORAGE MAIN",
    ],
    "sqlite": [
        "ALTER TABLE cases_searchdocument ADD COLUMN facet_keys text NOT NULL DEFAULT '[]' "
        "CHECK (JSON_VALID(facet_keys))"
    ],
}
DROP_COLUMN = "ALTER TABLE cases_searchdocument DROP COLUMN facet_keys"


def add_column(apps, schema_editor):
    for sql in ADD_COLUMN[schema_editor.connection.vendor]:
        schema_editor.execute(sql)


def drop_column(apps, schema_editor):
    schema_editor.execute(DROP_COLUMN)


def fill(apps, schema_editor):
    from cases.facets import keys_of

    case_model = apps.get_model("cases", "CaseStudy")
    documents = apps.get_model("cases", "SearchDocument").objects
    ids = sorted(set(documents.values_list("case_study_id", flat=True)))
    for start in range(0, len(ids), 1000):
        keys = keys_of(ids[start : start + 1000], case_model)
        rows = list(documents.filter(case_study_id__in=list(keys)).only("id", "case_study_id"))
        for row in rows:
            row.facet_keys = keys[row.case_study_id]
        documents.bulk_update(rows, ["facet_keys"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_search_rows_toasted")]
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="searchdocument",
                    name="facet_keys",
                    field=models.JSONField(blank=True, default=list),
                )
            ],
            database_operations=[migrations.RunPython(add_column, drop_column)],
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
