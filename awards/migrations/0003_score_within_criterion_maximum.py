"""A score may never exceed its criterion's maximum. A CHECK constraint cannot read another
table, so a trigger on each database engine enforces it, whatever door the write comes in by."""

from django.db import migrations

SQLITE = [
    """
    CREATE TRIGGER score_within_max_insert BEFORE INSERT ON awards_score
    WHEN NEW.value IS NOT NULL AND CAST(NEW.value AS REAL) >
         (SELECT CAST(max_score AS REAL) FROM awards_criterion WHERE id = NEW.criterion_id)
    BEGIN SELECT RAISE(ABORT, 'score above the criterion maximum'); END;
    """,
    """
    CREATE TRIGGER score_within_max_update BEFORE UPDATE OF value, criterion_id ON awards_score
    WHEN NEW.value IS NOT NULL AND CAST(NEW.value AS REAL) >
         (SELECT CAST(max_score AS REAL) FROM awards_criterion WHERE id = NEW.criterion_id)
    BEGIN SELECT RAISE(ABORT, 'score above the criterion maximum'); END;
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS score_within_max_insert;",
    "DROP TRIGGER IF EXISTS score_within_max_update;",
]
POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION awards_score_within_max() RETURNS trigger AS $$
    BEGIN
      IF NEW.value IS NOT NULL AND NEW.value >
         (SELECT max_score FROM awards_criterion WHERE id = NEW.criterion_id) THEN
        RAISE EXCEPTION 'score above the criterion maximum' USING ERRCODE = '23514';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER score_within_max BEFORE INSERT OR UPDATE OF value, criterion_id
    ON awards_score FOR EACH ROW EXECUTE FUNCTION awards_score_within_max();
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS score_within_max ON awards_score;",
    "DROP FUNCTION IF EXISTS awards_score_within_max();",
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
    dependencies = [("awards", "0002_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
