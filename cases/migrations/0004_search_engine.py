"""The database's own full-text engine over cases_searchdocument.

PostgreSQL: generated `tsvector` columns built from the pre-segmented words (array_to_tsvector:
each space-separated word is one lexeme, untouched by a parser that knows no Thai), weighted
title (A) > summary (B) > body (C), each with a GIN index.
SQLite: an external-content FTS5 table whose tokenizer keeps Thai vowels and tone marks inside
words, kept in step with the table by triggers."""

from django.db import migrations


def vec(columns, weight):
    return " || ".join(
        f"setweight(array_to_tsvector(string_to_array({c}, ' ')), '{weight}')" for c in columns
    )


POSTGRESQL = [
    f"ALTER TABLE cases_searchdocument ADD COLUMN title_vec tsvector "
    f"GENERATED ALWAYS AS ({vec(['title_terms'], 'A')}) STORED",
    f"ALTER TABLE cases_searchdocument ADD COLUMN head_vec tsvector "
    f"GENERATED ALWAYS AS ({vec(['title_terms'], 'A')} || {vec(['summary_terms'], 'B')}) STORED",
    f"ALTER TABLE cases_searchdocument ADD COLUMN all_vec tsvector "
    f"GENERATED ALWAYS AS ({vec(['title_terms'], 'A')} || {vec(['summary_terms'], 'B')} "
    f"|| {vec(['body_terms'], 'C')}) STORED",
    "CREATE INDEX search_title_vec ON cases_searchdocument USING gin (title_vec)",
    "CREATE INDEX search_head_vec ON cases_searchdocument USING gin (head_vec)",
    "CREATE INDEX search_all_vec ON cases_searchdocument USING gin (all_vec)",
]
POSTGRESQL_REVERSE = [
    "ALTER TABLE cases_searchdocument DROP COLUMN IF EXISTS title_vec",
    "ALTER TABLE cases_searchdocument DROP COLUMN IF EXISTS head_vec",
    "ALTER TABLE cases_searchdocument DROP COLUMN IF EXISTS all_vec",
]
SQLITE = [
    """CREATE VIRTUAL TABLE cases_search_fts USING fts5(
        title_terms, summary_terms, body_terms,
        content='cases_searchdocument', content_rowid='id',
        tokenize="unicode61 categories 'L* N* Co M*' tokenchars '.'")""",
    """CREATE TRIGGER cases_search_fts_insert AFTER INSERT ON cases_searchdocument BEGIN
        INSERT INTO cases_search_fts(rowid, title_terms, summary_terms, body_terms)
        VALUES (new.id, new.title_terms, new.summary_terms, new.body_terms);
    END""",
    """CREATE TRIGGER cases_search_fts_delete AFTER DELETE ON cases_searchdocument BEGIN
        INSERT INTO cases_search_fts(cases_search_fts, rowid, title_terms, summary_terms,
            body_terms) VALUES ('delete', old.id, old.title_terms, old.summary_terms,
            old.body_terms);
    END""",
    """CREATE TRIGGER cases_search_fts_update AFTER UPDATE ON cases_searchdocument BEGIN
        INSERT INTO cases_search_fts(cases_search_fts, rowid, title_terms, summary_terms,
            body_terms) VALUES ('delete', old.id, old.title_terms, old.summary_terms,
            old.body_terms);
        INSERT INTO cases_search_fts(rowid, title_terms, summary_terms, body_terms)
        VALUES (new.id, new.title_terms, new.summary_terms, new.body_terms);
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS cases_search_fts_insert",
    "DROP TRIGGER IF EXISTS cases_search_fts_delete",
    "DROP TRIGGER IF EXISTS cases_search_fts_update",
    "DROP TABLE IF EXISTS cases_search_fts",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in POSTGRESQL if vendor == "postgresql" else SQLITE if vendor == "sqlite" else []:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = (
        POSTGRESQL_REVERSE if vendor == "postgresql" else SQLITE_REVERSE if vendor == "sqlite" else []
    )
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_search_document")]
    operations = [migrations.RunPython(forwards, backwards)]
