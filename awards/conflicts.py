"""Conflicts of interest along the agency tree — the one definition of who may not assess what.

An assessor is conflicted with an entry when the entry's agency is
- their own agency, one of its ancestors (the ministry above their department) or one of its
  descendants (a division under it): ministry ↔ department ↔ division all judge each other's
  work with a stake in it;
- an agency they declared (ConflictDeclaration.agency) or anything under it;
- or the entry itself was declared (ConflictDeclaration.entry).

Put another way, with chain(X) = X and its ancestors: the entry's agency E conflicts when
own ∈ chain(E), E ∈ chain(own), or a declared agency ∈ chain(E). Only ancestor chains are
needed, which is what the database triggers compute too (migration
`awards/0009_assessor_conflicts_follow_agency_tree`, the same rule in SQL for SQLite and
PostgreSQL). The single checks walk up the tree one query per level; the solver and the ranking
load the tree once (`AgencyTree.load()`) and check thousands of pairs in memory.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from portal.agencies.models import Agency

from .models import ConflictDeclaration, Entry


class AgencyTree:
    """Parents of agencies: read on demand (a few queries per chain) or all at once."""

    def __init__(self, parents: dict[int, int | None] | None = None):
        self._parents = dict(parents or {})
        self._complete = parents is not None
        self._chains: dict[int | None, tuple[int, ...]] = {}

    @classmethod
    def load(cls) -> "AgencyTree":
        return cls(dict(Agency.objects.values_list("pk", "parent_id")))

    def parent(self, agency_id: int) -> int | None:
        if agency_id not in self._parents and not self._complete:
            self._parents[agency_id] = (
                Agency.objects.filter(pk=agency_id).values_list("parent_id", flat=True).first()
            )
        return self._parents.get(agency_id)

    def chain(self, agency_id: int | None) -> tuple[int, ...]:
        """The agency and its ancestors, nearest first (a cycle in bad data ends the walk)."""
        if agency_id in self._chains:
            return self._chains[agency_id]
        chain: list[int] = []
        node = agency_id
        while node is not None and node not in chain:
            chain.append(node)
            node = self.parent(node)
        self._chains[agency_id] = tuple(chain)
        return self._chains[agency_id]


@dataclass(frozen=True)
class Declared:
    """An assessor's declared conflicts: agencies and single entries."""

    agencies: frozenset[int]
    entries: frozenset[int]

    @classmethod
    def of(cls, assessor_ids: Iterable[int]) -> dict[int, "Declared"]:
        agencies: dict[int, set[int]] = {}
        entries: dict[int, set[int]] = {}
        rows = ConflictDeclaration.objects.filter(assessor_id__in=list(assessor_ids))
        for assessor_id, agency_id, entry_id in rows.values_list(
            "assessor_id", "agency_id", "entry_id"
        ):
            if agency_id:
                agencies.setdefault(assessor_id, set()).add(agency_id)
            if entry_id:
                entries.setdefault(assessor_id, set()).add(entry_id)
        return {
            pk: cls(frozenset(agencies.get(pk, ())), frozenset(entries.get(pk, ())))
            for pk in set(agencies) | set(entries)
        }


NOTHING_DECLARED = Declared(frozenset(), frozenset())


@dataclass(frozen=True)
class Conflict:
    """Which part of the rule applies: `kind` one of KINDS, `agency_id` the agency it names."""

    kind: str
    agency_id: int | None = None

    def explain(self) -> str:
        """The reason in Thai, as the admin and the solver's preview show it."""
        messages = {
            "declared_entry": _("ผู้ตรวจประเมินแจ้งส่วนได้เสียกับผลงานนี้"),
            "own_agency": _("ผู้ตรวจประเมินสังกัดหน่วยงานเจ้าของผลงาน"),
            "under_own": _("หน่วยงานเจ้าของผลงานอยู่ภายใต้หน่วยงานที่ผู้ตรวจประเมินสังกัด (%(agency)s)"),
            "above_own": _("ผู้ตรวจประเมินสังกัดหน่วยงานที่อยู่ภายใต้หน่วยงานเจ้าของผลงาน (%(agency)s)"),
            "declared_agency": _("ผู้ตรวจประเมินแจ้งส่วนได้เสียกับหน่วยงานนี้"),
            "under_declared": _("ผู้ตรวจประเมินแจ้งส่วนได้เสียกับ %(agency)s ซึ่งหน่วยงานเจ้าของผลงานอยู่ภายใต้"),
        }
        message = messages[self.kind]
        if "%(agency)s" in message:
            message %= {"agency": Agency.objects.get(pk=self.agency_id)}
        return message


def find(
    tree: AgencyTree,
    own_agency_id: int | None,
    declared: Declared,
    entry_id: int,
    entry_agency_id: int,
) -> Conflict | None:
    """The conflict between an assessor (their own agency, their declarations) and an entry,
    or None. The rule of this module, in one place."""
    if entry_id in declared.entries:
        return Conflict("declared_entry")
    entry_chain = tree.chain(entry_agency_id)
    if own_agency_id is not None:
        if own_agency_id == entry_agency_id:
            return Conflict("own_agency", own_agency_id)
        if own_agency_id in entry_chain:
            return Conflict("under_own", own_agency_id)
        if entry_agency_id in tree.chain(own_agency_id):
            return Conflict("above_own", own_agency_id)
    for agency_id in entry_chain:
        if agency_id in declared.agencies:
            kind = "declared_agency" if agency_id == entry_agency_id else "under_declared"
            return Conflict(kind, agency_id)
    return None


def conflict_reason(assessor, entry: Entry) -> str | None:
    """Why this assessor may not assess this entry (Thai), or None."""
    declared = Declared.of([assessor.pk]).get(assessor.pk, NOTHING_DECLARED)
    found = find(AgencyTree(), assessor.agency_id, declared, entry.pk, entry.agency_id)
    return found.explain() if found else None


# The agencies whose entries an assessor may not assess, as one query the database runs inside
# the caller's (no round trip of its own, so admin lists keep a fixed number of queries): the
# chain above their own agency, and everything under their own and their declared agencies.
CONFLICTED_AGENCIES_SQL = """
WITH RECURSIVE
  up(id) AS (
    SELECT agency_id FROM portal_user WHERE id = %s
    UNION SELECT ag.parent_id FROM portal_agency ag JOIN up ON ag.id = up.id
          WHERE ag.parent_id IS NOT NULL),
  roots(id) AS (
    SELECT agency_id FROM portal_user WHERE id = %s AND agency_id IS NOT NULL
    UNION SELECT agency_id FROM awards_conflictdeclaration
          WHERE assessor_id = %s AND agency_id IS NOT NULL),
  down(id) AS (
    SELECT id FROM roots
    UNION SELECT ag.id FROM portal_agency ag JOIN down ON ag.parent_id = down.id)
SELECT id FROM up WHERE id IS NOT NULL UNION SELECT id FROM down
"""


def conflicted_entries(assessor) -> QuerySet[Entry]:
    """Entries the assessor must never see or score (the rule above, as a queryset)."""
    declared_entries = ConflictDeclaration.objects.filter(
        assessor_id=assessor.pk, entry__isnull=False
    ).values("entry_id")
    agencies = RawSQL(CONFLICTED_AGENCIES_SQL, [assessor.pk] * 3)
    return Entry.objects.filter(Q(agency_id__in=agencies) | Q(pk__in=declared_entries))


class ConflictMap:
    """Many assessors × many entries at once (the solver, the ranking): the tree read once,
    the declarations read once."""

    def __init__(self, assessor_agencies: dict[int, int | None], tree: AgencyTree | None = None):
        self.assessors = dict(assessor_agencies)  # assessor id → their own agency id
        self.tree = tree or AgencyTree.load()
        self.declared = Declared.of(self.assessors)

    def find(self, assessor_id: int, entry_id: int, entry_agency_id: int) -> Conflict | None:
        return find(
            self.tree,
            self.assessors[assessor_id],
            self.declared.get(assessor_id, NOTHING_DECLARED),
            entry_id,
            entry_agency_id,
        )
