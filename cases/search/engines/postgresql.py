"""PostgreSQL: pre-segmented words as `simple` tsvectors (title, title + summary, all), GIN."""

from .base import Match


class PostgresEngine:
    vectors = ("title_vec", "head_vec", "all_vec")

    @staticmethod
    def tsquery(terms):
        quoted = ("'" + t.replace("\\", "\\\\").replace("'", "''") + "'" for t in terms)
        return " & ".join(quoted)

    def condition(self, terms, tier):
        return Match(f"{{table}}.{self.vectors[tier]} @@ %s::tsquery", self.tsquery(terms))
