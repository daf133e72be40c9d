"""On PostgreSQL, the GIN indexes over the public vectors are made one per kind: model projects
and lessons learned each have their own (0018 kept one set for both). Every search names its
kind, but through the shared index a lesson search found the matching cases too and read each
one's row before dropping it (แหล่งน้ำเพื่อการเกษตร: 4,935 rows read for 554 lessons; its cold
page 150 → 85 ms at 100,000 cases and 25,000 lessons). Entries keep theirs (0018)."""

from importlib import import_module

from django.db import migrations

SPLIT = import_module("cases.migrations.0018_search_past_entries")

KINDS = ("case", "lesson")
PER_KIND = [
    sql
    for column, name in SPLIT.VECTORS.items()
    for sql in (
        f"DROP INDEX IF EXISTS search_{name}_vec",
        *(
            f"CREATE INDEX search_{kind}_{name}_vec ON cases_searchdocument USING gin ({column})"
            f" WHERE kind = '{kind}'"
            for kind in KINDS
        ),
    )
]
SHARED = [
    sql
    for column, name in SPLIT.VECTORS.items()
    for sql in (
        *(f"DROP INDEX IF EXISTS search_{kind}_{name}_vec" for kind in KINDS),
        f"CREATE INDEX search_{name}_vec ON cases_searchdocument USING gin ({column}) "
        f"WHERE {SPLIT.PUBLIC}",
    )
]


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0018_search_past_entries"),
    ]

    operations = [
        migrations.RunPython(SPLIT.postgresql(PER_KIND), SPLIT.postgresql(SHARED)),
    ]
