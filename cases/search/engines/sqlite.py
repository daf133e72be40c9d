"""SQLite: an FTS5 table over the words, one column per field (migration 0004); the sub-word
layer, an FTS5 `trigram` table over the text (migration 0009), where a quoted piece of three
or more characters matches as a substring."""

from .base import WORD_TIERS, Engine, Match


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _all(parts) -> str:
    return "(" + " AND ".join(parts) + ")"


def _any(parts) -> str:
    return "(" + " OR ".join(parts) + ")"


class SqliteEngine(Engine):
    columns = ("{title_terms}", "{title_terms summary_terms}", "")
    char_columns = ("{title_chars}", "{title_chars summary_chars}", "")

    @staticmethod
    def _within(columns: str, expression: str) -> str:
        return f"{columns} : {expression}" if columns else expression

    def fts_query(self, groups, fields):
        expression = _all(
            _any(_all(_quoted(term) for term in alt.terms) for alt in group.alternatives)
            for group in groups
        )
        return self._within(self.columns[fields], expression)

    def words(self, groups, fields):
        return Match(
            "{id} IN (SELECT rowid FROM cases_search_fts WHERE cases_search_fts MATCH %s)",
            self.fts_query(groups, fields),
        )

    def piece_candidates(self, group):
        pieces = self.pieces(group, WORD_TIERS - 1)  # FTS5's trigram table finds substrings
        return [] if pieces is None else [pieces]

    def pieces(self, group, fields):
        alternatives = [
            _all(_quoted(piece) for piece in alt.pieces) for alt in group.alternatives if alt.pieces
        ]
        if not alternatives:
            return None
        return Match(
            "{id} IN (SELECT rowid FROM cases_search_grams WHERE cases_search_grams MATCH %s)",
            self._within(self.char_columns[fields], _any(alternatives)),
        )
