"""An assessor is never assigned to, and never scores, an entry they have a conflict of
interest with: an entry of their own agency (User.agency) or one they declared
(ConflictDeclaration naming the entry or its agency). The domain (awards/assessment.py) says so
in Thai; these triggers make the database refuse it too, whatever door the write comes in by.

A conflict declared after an assignment blocks any further score written on that sheet."""

from django.db import migrations

# True when assessor {a} has a conflict of interest with entry {e}: plain SQL that both
# SQLite and PostgreSQL understand.
CONFLICT = """(
    EXISTS (SELECT 1 FROM awards_entry ce JOIN portal_user cu ON cu.id = {a}
            WHERE ce.id = {e} AND ce.agency_id = cu.agency_id)
    OR EXISTS (SELECT 1 FROM awards_conflictdeclaration cd
               WHERE cd.assessor_id = {a}
                 AND (cd.entry_id = {e}
                      OR cd.agency_id = (SELECT agency_id FROM awards_entry WHERE id = {e})))
)"""
ASSIGNMENT_CONFLICT = CONFLICT.format(a="NEW.assessor_id", e="NEW.entry_id")
SCORE_CONFLICT = CONFLICT.format(
    a="(SELECT sa.assessor_id FROM awards_scoresheet ss JOIN awards_assignment sa"
    " ON sa.id = ss.assignment_id WHERE ss.id = NEW.sheet_id)",
    e="(SELECT sa.entry_id FROM awards_scoresheet ss JOIN awards_assignment sa"
    " ON sa.id = ss.assignment_id WHERE ss.id = NEW.sheet_id)",
)
ASSIGNMENT_MESSAGE = "assessor has a conflict of interest with this entry"
SCORE_MESSAGE = "a conflicted assessor cannot score this entry"

SQLITE = [
    f"""
    CREATE TRIGGER assignment_no_conflict_insert BEFORE INSERT ON awards_assignment
    WHEN {ASSIGNMENT_CONFLICT}
    BEGIN SELECT RAISE(ABORT, '{ASSIGNMENT_MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER assignment_no_conflict_update
    BEFORE UPDATE OF entry_id, assessor_id ON awards_assignment
    WHEN {ASSIGNMENT_CONFLICT}
    BEGIN SELECT RAISE(ABORT, '{ASSIGNMENT_MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER score_no_conflict_insert BEFORE INSERT ON awards_score
    WHEN {SCORE_CONFLICT}
    BEGIN SELECT RAISE(ABORT, '{SCORE_MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER score_no_conflict_update BEFORE UPDATE ON awards_score
    WHEN {SCORE_CONFLICT}
    BEGIN SELECT RAISE(ABORT, '{SCORE_MESSAGE}'); END;
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS assignment_no_conflict_insert;",
    "DROP TRIGGER IF EXISTS assignment_no_conflict_update;",
    "DROP TRIGGER IF EXISTS score_no_conflict_insert;",
    "DROP TRIGGER IF EXISTS score_no_conflict_update;",
]
POSTGRESQL = [
    f"""
    CREATE OR REPLACE FUNCTION awards_assignment_no_conflict() RETURNS trigger AS $$
    BEGIN
      IF {ASSIGNMENT_CONFLICT} THEN
        RAISE EXCEPTION '{ASSIGNMENT_MESSAGE}' USING ERRCODE = '23514';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER assignment_no_conflict BEFORE INSERT OR UPDATE OF entry_id, assessor_id
    ON awards_assignment FOR EACH ROW EXECUTE FUNCTION awards_assignment_no_conflict();
    """,
    f"""
    CREATE OR REPLACE FUNCTION awards_score_no_conflict() RETURNS trigger AS $$
    BEGIN
      IF {SCORE_CONFLICT} THEN
        RAISE EXCEPTION '{SCORE_MESSAGE}' USING ERRCODE = '23514';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER score_no_conflict BEFORE INSERT OR UPDATE
    ON awards_score FOR EACH ROW EXECUTE FUNCTION awards_score_no_conflict();
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS assignment_no_conflict ON awards_assignment;",
    "DROP FUNCTION IF EXISTS awards_assignment_no_conflict();",
    "DROP TRIGGER IF EXISTS score_no_conflict ON awards_score;",
    "DROP FUNCTION IF EXISTS awards_score_no_conflict();",
]


def forwards(apps, schema_editor):
    statements = POSTGRESQL if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = (
        POSTGRESQL_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    )
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("awards", "0003_score_within_criterion_maximum"), ("portal", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
