"""PostgreSQL: pre-segmented words as `simple` tsvectors (title, title + summary, all), GIN;
the sub-word layer as character trigram lexemes with positions in `grams_vec` (weights A
title, B summary, C body; migration 0009), a piece searched as a phrase of its trigrams."""

from django.db import connection

from .base import WORD_TIERS, Engine, Match

GRAM = 3


def _lexeme(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def _all(parts) -> str:
    return "(" + " & ".join(parts) + ")"


def _any(parts) -> str:
    return "(" + " | ".join(parts) + ")"


def phrase(piece: str, weights: str = "") -> str:
    """A piece of text as trigram lexemes at their distances: every third trigram and the
    last, which cover every character (a GIN lookup per lexeme, positions rechecked)."""
    starts = list(range(0, len(piece) - GRAM + 1, GRAM))
    if starts[-1] != len(piece) - GRAM:
        starts.append(len(piece) - GRAM)
    out, previous = [], None
    for start in starts:
        lexeme = _lexeme(piece[start : start + GRAM]) + (f":{weights}" if weights else "")
        out.append(lexeme if previous is None else f"<{start - previous}> {lexeme}")
        previous = start
    return "(" + " ".join(out) + ")"


class PostgresEngine(Engine):
    vectors = ("title_vec", "head_vec", "all_vec")
    weights = ("A", "AB", "")

    @staticmethod
    def tsquery(groups) -> str:
        return _all(
            _any(_all(_lexeme(term) for term in alt.terms) for alt in group.alternatives)
            for group in groups
        )

    def words(self, groups, fields):
        return Match(f"{{table}}.{self.vectors[fields]} @@ %s::tsquery", self.tsquery(groups))

    def pieces(self, group, fields):
        alternatives = [
            _all(phrase(piece, self.weights[fields]) for piece in alt.pieces)
            for alt in group.alternatives
            if alt.pieces
        ]
        if not alternatives:
            return None
        return Match("{table}.grams_vec @@ %s::tsquery", _any(alternatives))

    def piece_candidates(self, group):
        # Trigrams of a piece at any position: the GIN index answers it exactly, where a
        # phrase makes PostgreSQL read each candidate's vector to check the positions. One
        # lookup per way of writing the group (under an OR no trigram is required, and
        # PostgreSQL walked every one's postings: 106 ms for PMQA's three), each with at most
        # CANDIDATE_GRAMS trigrams spread over the piece (every one of a 35-letter thesaurus
        # phrase: 56 ms; eight: 11 ms — the positions are checked afterwards all the same).
        return [
            Match("{table}.grams_vec @@ %s::tsquery", _all(_lexeme(g) for g in _spread(alt.pieces)))
            for alt in group.alternatives
            if alt.pieces
        ]

    def narrowest_fields(self, looks, kind):
        # Each look at a row's vector unpacks it from TOAST again, and a row holding the
        # pieces was looked at up to three times (anywhere, the title, title + summary). A
        # copy made once in a subquery (`|| ''`) is looked at instead, for every group at
        # once: PMQA 4.0's 200 candidates, 19–22 ms → 12–16 ms; its two groups' candidates
        # together, two such queries → one.
        if not looks:
            return []
        narrower = " ".join(f"WHEN v @@ %s::tsquery THEN {n}" for n in range(WORD_TIERS - 1))
        columns, params = [], []
        for i, (group, _ids) in enumerate(looks):
            tiers = [self.pieces(group, n).param for n in range(WORD_TIERS)]
            columns.append(
                f"CASE WHEN v @@ %s::tsquery THEN CASE {narrower} ELSE {WORD_TIERS - 1} END END"
                f' AS "narrowest_{i}"'
            )
            params += [tiers[-1], *tiers[:-1]]
        sql = (
            f"SELECT id, {', '.join(columns)}"
            " FROM (SELECT id, grams_vec || ''::tsvector AS v FROM cases_searchdocument"
            " WHERE kind = %s AND id = ANY(%s) OFFSET 0) AS candidates ORDER BY id"
        )
        every = sorted({pk for _group, ids in looks for pk in ids})
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, kind, every])
            rows = cursor.fetchall()
        return [
            [(row[0], row[1 + i]) for row in rows if row[0] in candidates]
            for i, candidates in enumerate(set(ids) for _group, ids in looks)
        ]


CANDIDATE_GRAMS = 8


def _spread(pieces) -> list[str]:
    """Every trigram of the pieces, once; beyond CANDIDATE_GRAMS, that many evenly spread."""
    grams = list(dict.fromkeys(p[i : i + GRAM] for p in pieces for i in range(len(p) - GRAM + 1)))
    if len(grams) > CANDIDATE_GRAMS:
        step = (len(grams) - 1) / (CANDIDATE_GRAMS - 1)
        grams = list(dict.fromkeys(grams[round(n * step)] for n in range(CANDIDATE_GRAMS)))
    return grams
