"""Conflicts of interest follow the agency tree in the database too (issue 18): the triggers of
0004 refused only the assessor's own agency and the agencies or entries they declared; now an
assignment row, and any score on a sheet, is refused when the entry's agency is

- the assessor's own agency, one of its ancestors or one of its descendants,
- a declared agency or anything under it, or the entry itself was declared.

The same rule as awards/conflicts.py. With chain(X) = X and its ancestors (a recursive query,
which both SQLite ≥ 3.8.3 and PostgreSQL run inside a trigger), the entry's agency E conflicts
when own ∈ chain(E), E ∈ chain(own), or a declared agency ∈ chain(E). UNION (not UNION ALL)
ends the walk even on a cycle in bad data."""

import importlib

from django.db import migrations

previous = importlib.import_module("awards.migrations.0004_assessor_conflict_triggers")

# chain(agency_id) as a recursive subquery over portal_agency.
CHAIN = """(WITH RECURSIVE chain(id) AS (
        SELECT {start}
        UNION SELECT ag.parent_id FROM portal_agency ag JOIN chain ON ag.id = chain.id
              WHERE ag.parent_id IS NOT NULL)
    SELECT id FROM chain WHERE id IS NOT NULL)"""

ENTRY_AGENCY = "(SELECT agency_id FROM awards_entry WHERE id = {e})"
OWN_AGENCY = "(SELECT agency_id FROM portal_user WHERE id = {a})"
CONFLICT = f"""(
    {OWN_AGENCY} IN {CHAIN.format(start=ENTRY_AGENCY)}
    OR {ENTRY_AGENCY} IN {CHAIN.format(start=OWN_AGENCY)}
    OR EXISTS (SELECT 1 FROM awards_conflictdeclaration cd
               WHERE cd.assessor_id = {{a}}
                 AND (cd.entry_id = {{e}}
                      OR cd.agency_id IN {CHAIN.format(start=ENTRY_AGENCY)}))
)"""
ASSIGNMENT_CONFLICT = CONFLICT.format(a="NEW.assessor_id", e="NEW.entry_id")
SHEET = (
    "(SELECT sa.{column} FROM awards_scoresheet ss JOIN awards_assignment sa"
    " ON sa.id = ss.assignment_id WHERE ss.id = NEW.sheet_id)"
)
SCORE_CONFLICT = CONFLICT.format(
    a=SHEET.format(column="assessor_id"), e=SHEET.format(column="entry_id")
)


def sqlite_triggers(assignment_conflict: str, score_conflict: str) -> list[str]:
    return [
        *previous.SQLITE_REVERSE,
        *[
            sql.replace(previous.ASSIGNMENT_CONFLICT, assignment_conflict).replace(
                previous.SCORE_CONFLICT, score_conflict
            )
            for sql in previous.SQLITE
        ],
    ]


def postgresql_functions(assignment_conflict: str, score_conflict: str) -> list[str]:
    # CREATE OR REPLACE FUNCTION: 0004's triggers call the functions by name and keep working.
    return [
        sql.replace(previous.ASSIGNMENT_CONFLICT, assignment_conflict).replace(
            previous.SCORE_CONFLICT, score_conflict
        )
        for sql in previous.POSTGRESQL
        if "CREATE OR REPLACE FUNCTION" in sql
    ]


def install(assignment_conflict: str, score_conflict: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            statements = postgresql_functions(assignment_conflict, score_conflict)
        else:
            statements = sqlite_triggers(assignment_conflict, score_conflict)
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("awards", "0013_feedback_to_agencies"), ("portal", "0001_initial")]
    operations = [
        migrations.RunPython(
            install(ASSIGNMENT_CONFLICT, SCORE_CONFLICT),
            install(previous.ASSIGNMENT_CONFLICT, previous.SCORE_CONFLICT),
        )
    ]
