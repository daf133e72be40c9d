"""What both engines share: a match condition that goes through Django's compiler, and the
tiers (see the package's docstring)."""

from functools import reduce
from itertools import product
from operator import and_, or_

from django.db.models import BooleanField, Case, Expression, F, IntegerField, Q, Value, When

from ...models import SearchDocument

WORD_TIERS = 3  # 0 title, 1 title + summary, 2 anywhere; then the same with sub-words
LAST_TIER = 2 * WORD_TIERS - 1
FIELDS = ("title", "title + summary", "all")


class RowCondition(Expression):
    """A boolean SQL condition on the row's id column. It goes through the compiler (not raw
    SQL with a fixed table name) so that it keeps working inside the subqueries Django
    re-aliases (facet counts filter on a subquery of matches)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self):
        super().__init__()
        self.id = F("id")

    def get_source_expressions(self):
        return [self.id]

    def set_source_expressions(self, exprs):
        (self.id,) = exprs


class Match(RowCondition):
    """`<the row's table> matches <terms>`."""

    def __init__(self, template: str, param: str):
        super().__init__()
        self.template, self.param = template, param

    def as_sql(self, compiler, connection):
        id_sql, id_params = compiler.compile(self.id)
        table = id_sql.rsplit(".", 1)[0]
        return self.template.format(table=table, id=id_sql), [*id_params, self.param]


class AmongIds(RowCondition):
    """`<the row's id> IN <ids>` for the documents `bounded` found (a few hundred per way of
    writing a group, in every tier's condition): on PostgreSQL as one array parameter. As
    a parameter per id, PMQA 4.0's page sent 3,000 of them, and Django's compiler and
    psycopg's client-side binding went through each one: a fifth of the page's time."""

    def __init__(self, ids):
        super().__init__()
        self.ids = list(ids)

    def as_sql(self, compiler, connection):
        id_sql, id_params = compiler.compile(self.id)
        marks = ", ".join(["%s"] * len(self.ids))
        return f"{id_sql} IN ({marks})", [*id_params, *self.ids]

    def as_postgresql(self, compiler, connection):
        id_sql, id_params = compiler.compile(self.id)
        return f"{id_sql} = ANY(%s)", [*id_params, self.ids]


class Engine:
    """An engine says how to find all groups as words in some fields (`words`) and one
    group as words or sub-words (`words_or_pieces`); the tiers are built from those."""

    def words(self, groups, fields: int) -> Match:
        raise NotImplementedError

    def pieces(self, group, fields: int) -> Match | None:
        raise NotImplementedError

    def piece_candidates(self, group) -> list[Match]:
        """Conditions, one per way of writing the group, that every document holding its
        pieces meets, answered by the index alone (no document's text or positions read);
        none: the group has no pieces."""
        raise NotImplementedError

    def narrowest_fields(self, looks, kind: str) -> list[list[tuple[int, int | None]]]:
        """For each (group, ids) of `looks`: [(id, the narrowest fields holding the group's
        pieces — None: not in the row)] of the index rows of the kind with these ids, in id
        order. Anywhere is looked at first: most rows hold none, and each look reads the
        row's sub-words again."""
        return [self._narrowest_of(group, kind, ids) for group, ids in looks]

    def _narrowest_of(self, group, kind, ids):
        narrowest = Case(
            When(
                self.pieces(group, WORD_TIERS - 1),
                then=Case(
                    *(When(self.pieces(group, n), then=Value(n)) for n in range(WORD_TIERS - 1)),
                    default=Value(WORD_TIERS - 1),
                ),
            ),
            default=None,
            output_field=IntegerField(),
        )
        rows = SearchDocument.objects.filter(kind=kind, id__in=ids).annotate(narrowest=narrowest)
        return list(rows.values_list("id", "narrowest").order_by("id"))

    def sub_words(self, group, fields: int):
        """The group's pieces within `fields`: where `bounded` checked them among a bounded
        set of candidates, the documents found there; else the engine's own condition."""
        if group.pieces_found is not None:
            found = group.pieces_found[fields]
            return Q(AmongIds(found)) if found else None
        return self.pieces(group, fields)

    def condition(self, groups, tier: int):
        if tier < WORD_TIERS:
            return self.words(groups, tier)
        fields = tier - WORD_TIERS
        # A document matched by words in the body and sub-words in the title is in tier 3:
        # each group on its own, words or pieces, within the tier's fields.
        pieces = {i: self.sub_words(group, fields) for i, group in enumerate(groups)}
        either = [i for i, p in pieces.items() if p is not None]
        if len(either) > DISTRIBUTED:
            return reduce(and_, (self._group(group, fields) for group in groups))
        # As one OR of ANDs, each arm's words one index lookup (every group found as words,
        # or some as sub-words and the rest as words): PostgreSQL then tests no document's
        # vector row by row. (With (words OR sub-words) AND words, it found the first as a
        # bitmap and tested the rest on every row: 50 ms for แหล่งน้ำเพื่อการเกษตร.)
        #
        # Arms naming documents found by `bounded` (a few hundred ids) are gathered under one
        # list of all those ids: (the other arms OR those ids) AND (the other arms OR these
        # arms), the first half one bitmap of the word index and the primary key, the second
        # checked on its rows only. As one OR, even with that list first, PostgreSQL's
        # estimate preferred to test every case's vectors (Food Bank, 200 matches: 430 ms
        # either way; as two halves, 1 ms).
        indexed, by_ids, ids = [], [], set()
        for as_pieces in product((False, True), repeat=len(either)):
            chosen = {i for i, p in zip(either, as_pieces, strict=True) if p}
            words = [group for i, group in enumerate(groups) if i not in chosen]
            arm = [Q(pieces[i]) for i in chosen] + ([Q(self.words(words, fields))] if words else [])
            named = {i for i in chosen if groups[i].pieces_found is not None}
            (by_ids if named else indexed).append(reduce(and_, arm))
            for i in named:
                ids.update(groups[i].pieces_found[fields])
        others = reduce(or_, indexed)
        if not by_ids:
            return others
        return (others | Q(AmongIds(sorted(ids)))) & (others | reduce(or_, by_ids))

    def _group(self, group, fields):
        words, pieces = self.words([group], fields), self.sub_words(group, fields)
        return Q(words) if pieces is None else reduce(or_, (Q(words), Q(pieces)))


DISTRIBUTED = 3  # groups with sub-words at most, for a condition of 2 ** 3 = 8 arms
