"""The sub-word layer's trigram function on PostgreSQL in linear time.

0009's function cut each trigram with substr(body, i, 3), which on multibyte (Thai) text walks
from the start every time: quadratic, ~1 s at 22,800 characters. This one splits the text into
characters once (string_to_array with a NULL separator) and joins each with the next two by
lead(): the same tsvector (checked equal on 16,000 Thai characters), ~22 ms at 22,800 and ~100 ms
at 91,200 characters on this machine. The generated column keeps its stored values; rows are
re-indexed by the repair (index version 3), which now reads up to the positions' limit."""

from importlib import import_module

from django.db import migrations

PREVIOUS = import_module("cases.migrations.0009_search_subword_engine")

LINEAR = """
CREATE OR REPLACE FUNCTION cases_search_grams(body text, weight "char") RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(setweight(string_agg(
        '''' || gram || ''':' || least(i, 16383), ' ' ORDER BY i)::tsvector, weight), '')
    FROM (
        SELECT i, c || lead(c, 1) OVER w || lead(c, 2) OVER w AS gram
        FROM unnest(string_to_array(body, NULL)) WITH ORDINALITY AS t(c, i)
        WINDOW w AS (ORDER BY i)
    ) AS grams
    WHERE gram IS NOT NULL
$$"""
QUADRATIC = PREVIOUS.GRAMS_FUNCTION.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")


def run(sql):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("cases", "0010_thesaurus_seed")]
    operations = [migrations.RunPython(run(LINEAR), run(QUADRATIC))]
