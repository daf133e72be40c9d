"""The sub-word layer in each database's own engine (issue 13): a query word written in a
document finds it whatever the segmenter cut.

SQLite: a second external-content FTS5 table over the *_chars columns with the `trigram`
tokenizer (a quoted string of three or more characters matches as a substring), kept in step
by triggers like cases_search_fts.
PostgreSQL: every three-character run of the *_chars columns (spaces too: QR Code) as a lexeme
at its character position, weighted title (A) > summary (B) > body (C), in one generated
`tsvector` with a GIN index; a query is a phrase of its trigrams (`<N>` distances), so the
positions make it an exact substring. pg_trgm is not used: it breaks Thai at tone marks.
Positions stop at 16,383 and a lexeme keeps 256 of them (tsvector limits): text past that is
found by its words only."""

from importlib import import_module

from django.db import migrations

# SQLite remade cases_searchdocument to add the *_chars columns (0008), which dropped the
# triggers that keep the word table cases_search_fts in step: they are made again, and the
# word table rebuilt from the rows.
WORDS = import_module("cases.migrations.0004_search_engine")

GRAMS_FUNCTION = """
CREATE FUNCTION cases_search_grams(body text, weight "char") RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(setweight(string_agg(
        '''' || substr(body, i, 3) || ''':' || least(i, 16383), ' ')::tsvector, weight), '')
    FROM generate_series(1, length(body) - 2) AS i
$$"""
POSTGRESQL = [
    # The *_chars columns hold letters, marks, digits and single spaces only (no quote or
    # backslash), so each run is a valid quoted lexeme.
    GRAMS_FUNCTION,
    "ALTER TABLE cases_searchdocument ADD COLUMN grams_vec tsvector GENERATED ALWAYS AS ("
    "cases_search_grams(title_chars, 'A') || cases_search_grams(summary_chars, 'B') "
    "|| cases_search_grams(body_chars, 'C')) STORED",
    "CREATE INDEX search_grams_vec ON cases_searchdocument USING gin (grams_vec)",
]
POSTGRESQL_REVERSE = [
    "ALTER TABLE cases_searchdocument DROP COLUMN IF EXISTS grams_vec",
    'DROP FUNCTION IF EXISTS cases_search_grams(text, "char")',
]
COLUMNS = "title_chars, summary_chars, body_chars"
OLD = "old.title_chars, old.summary_chars, old.body_chars"
NEW = "new.title_chars, new.summary_chars, new.body_chars"
SQLITE = [
    *(sql for sql in WORDS.SQLITE_REVERSE if sql.startswith("DROP TRIGGER")),
    *(sql for sql in WORDS.SQLITE if sql.startswith("CREATE TRIGGER")),
    "INSERT INTO cases_search_fts(cases_search_fts) VALUES ('rebuild')",
    f"""CREATE VIRTUAL TABLE cases_search_grams USING fts5({COLUMNS},
        content='cases_searchdocument', content_rowid='id', tokenize='trigram')""",
    f"""CREATE TRIGGER cases_search_grams_insert AFTER INSERT ON cases_searchdocument BEGIN
        INSERT INTO cases_search_grams(rowid, {COLUMNS}) VALUES (new.id, {NEW});
    END""",
    f"""CREATE TRIGGER cases_search_grams_delete AFTER DELETE ON cases_searchdocument BEGIN
        INSERT INTO cases_search_grams(cases_search_grams, rowid, {COLUMNS})
        VALUES ('delete', old.id, {OLD});
    END""",
    f"""CREATE TRIGGER cases_search_grams_update AFTER UPDATE ON cases_searchdocument BEGIN
        INSERT INTO cases_search_grams(cases_search_grams, rowid, {COLUMNS})
        VALUES ('delete', old.id, {OLD});
        INSERT INTO cases_search_grams(rowid, {COLUMNS}) VALUES (new.id, {NEW});
    END""",
    # Rows already there have empty *_chars (version 0): the repair re-indexes them.
    "INSERT INTO cases_search_grams(cases_search_grams) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS cases_search_grams_insert",
    "DROP TRIGGER IF EXISTS cases_search_grams_delete",
    "DROP TRIGGER IF EXISTS cases_search_grams_update",
    "DROP TABLE IF EXISTS cases_search_grams",
]


def run(statements):
    def apply(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_search_subword_thesaurus")]
    operations = [
        migrations.RunPython(
            run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
