"""SQLite: an FTS5 table over the words, one column per field (migration 0004)."""

from .base import Match


class SqliteEngine:
    columns = ("{title_terms}", "{title_terms summary_terms}", "")

    @staticmethod
    def fts_query(terms, tier):
        expression = " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)
        prefix = SqliteEngine.columns[tier]
        return f"{prefix} : ({expression})" if prefix else expression

    def condition(self, terms, tier):
        return Match(
            "{id} IN (SELECT rowid FROM cases_search_fts WHERE cases_search_fts MATCH %s)",
            self.fts_query(terms, tier),
        )
