"""Past entries in the search index as a private kind (issue 19): SearchDocument.entry, a row
of kind "entry" has no case study; one row per entry (a partial unique index, which also serves
the entry's cascade).

On SQLite, Django remakes cases_searchdocument to make case_study nullable, which drops the
triggers that keep the FTS5 tables (0004, 0009) in step: they are made again and both tables
rebuilt from the rows, as 0009 did.

PostgreSQL alters the table in place. Its GIN indexes over the vectors (0004, 0009) become
partial: one set for the public kinds, one for entries. Every search names its kind, so each
finds its own set; the public ones hold exactly the rows they held before, and entries written
at a deadline rush grow only their own GIN pending lists — a pending list makes the planner
price the GIN index higher, and with a public one swollen it read every case's vector through
another index instead (measured: a rare word's count 0.1 ms → 170 ms at 10,000 cases)."""

from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models

WORDS = import_module("cases.migrations.0004_search_engine")
GRAMS = import_module("cases.migrations.0009_search_subword_engine")

# 0009 lists the word table's triggers again (it made them anew): each statement once.
TRIGGERS = list(
    dict.fromkeys(
        [
            *(sql for sql in WORDS.SQLITE_REVERSE + GRAMS.SQLITE_REVERSE if "TRIGGER" in sql),
            *(sql for sql in WORDS.SQLITE + GRAMS.SQLITE if sql.startswith("CREATE TRIGGER")),
            "INSERT INTO cases_search_fts(cases_search_fts) VALUES ('rebuild')",
            "INSERT INTO cases_search_grams(cases_search_grams) VALUES ('rebuild')",
        ]
    )
)


def sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in TRIGGERS:
            schema_editor.execute(sql)


VECTORS = {"title_vec": "title", "head_vec": "head", "all_vec": "all", "grams_vec": "grams"}
PUBLIC = "kind IN ('case', 'lesson')"
SPLIT_GIN = [
    sql
    for column, name in VECTORS.items()
    for sql in (
        f"DROP INDEX IF EXISTS search_{name}_vec",
        f"CREATE INDEX search_{name}_vec ON cases_searchdocument USING gin ({column}) "
        f"WHERE {PUBLIC}",
        f"CREATE INDEX search_entry_{name}_vec ON cases_searchdocument USING gin ({column}) "
        "WHERE kind = 'entry'",
    )
]
WHOLE_GIN = [
    sql
    for column, name in VECTORS.items()
    for sql in (
        f"DROP INDEX IF EXISTS search_entry_{name}_vec",
        f"DROP INDEX IF EXISTS search_{name}_vec",
        f"CREATE INDEX search_{name}_vec ON cases_searchdocument USING gin ({column})",
    )
]


def postgresql(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return apply


def drop_entry_rows(apps, schema_editor):
    """Backwards: the rows without a case study go before case_study is required again."""
    apps.get_model("cases", "SearchDocument").objects.filter(kind="entry").delete()


class Migration(migrations.Migration):

    dependencies = [
        ('awards', '0018_letters_and_site_visit_evidence'),
        ('cases', '0017_lesson_published_order'),
    ]

    operations = [
        # Backwards, the table is remade last: its triggers are made again after that.
        migrations.RunPython(migrations.RunPython.noop, sqlite_triggers),
        migrations.RemoveConstraint(
            model_name='searchdocument',
            name='search_kind_matches_object',
        ),
        migrations.AddField(
            model_name='searchdocument',
            name='entry',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='awards.entry', verbose_name='ผลงานที่สมัคร'),
        ),
        migrations.AlterField(
            model_name='searchdocument',
            name='case_study',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='cases.casestudy', verbose_name='ผลงานต้นแบบ'),
        ),
        migrations.AlterField(
            model_name='searchdocument',
            name='kind',
            field=models.CharField(choices=[('case', 'ผลงานต้นแบบ'), ('lesson', 'บทเรียน'), ('entry', 'ผลงานที่เคยสมัคร')], max_length=6, verbose_name='ประเภท'),
        ),
        migrations.AddConstraint(
            model_name='searchdocument',
            constraint=models.UniqueConstraint(condition=models.Q(('entry__isnull', False)), fields=('entry',), name='search_one_row_per_entry'),
        ),
        migrations.AddConstraint(
            model_name='searchdocument',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('case_study__isnull', False), ('entry__isnull', True), ('kind', 'case'), ('lesson__isnull', True)), models.Q(('case_study__isnull', False), ('entry__isnull', True), ('kind', 'lesson'), ('lesson__isnull', False)), models.Q(('case_study__isnull', True), ('entry__isnull', False), ('kind', 'entry'), ('lesson__isnull', True)), _connector='OR'), name='search_kind_matches_object'),
        ),
        migrations.RunPython(sqlite_triggers, drop_entry_rows),
        migrations.RunPython(postgresql(SPLIT_GIN), postgresql(WHOLE_GIN)),
    ]
