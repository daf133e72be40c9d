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
from django.utils.translation import gettext as _

from portal.agencies.models import Agency

from .models import ConflictDeclaration, Entry


class AgencyTree:
    """Parents of agencies: read on demand (a few queries per chain) or all at once."""

    def __init__(self, parents: dict[int, int | None] | None = None):
        self._parents = dict(parents or {})
        self._complete = parents is not None

    @classmethod
    def load(cls) -> "AgencyTree":
        return cls(dict(Agency.objects.values_list("pk", "parent_id")))

    def parent(self, agency_id: int) -> int | None:
        if agency_id not in self._parents and not self._complete:
            self._parents[agency_id] = (
                Agency.objects.filter(pk=agency_id).values_list("parent_id", flat=True).first()
            )
        return self._parents.get(agency_id)

    def chain(self, agency_id: int | None) -> list[int]:
        """The agency and its ancestors, nearest first (a cycle in bad data ends the walk)."""
        chain: list[int] = []
        while agency_id is not None and agency_id not in chain:
            chain.append(agency_id)
            agency_id = self.parent(agency_id)
        return chain


def subtree_ids(roots: Iterable[int]) -> set[int]:
    """The agencies and everything under them (one query per level of the tree)."""
    found = set(roots)
    frontier = set(found)
    while frontier:
        children = set(Agency.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier = children - found
        found |= frontier
    return found


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


def reason(
    tree: AgencyTree,
    own_agency_id: int | None,
    declared: Declared,
    entry_id: int,
    entry_agency_id: int,
) -> str | None:
    """Why an assessor (their own agency, their declarations) may not assess an entry, in
    Thai, or None. The rule of this module, in one place."""
    if entry_id in declared.entries:
        return _("ผู้ตรวจประเมินแจ้งส่วนได้เสียกับผลงานนี้")
    entry_chain = tree.chain(entry_agency_id)
    if own_agency_id is not None:
        if own_agency_id == entry_agency_id:
            return _("ผู้ตรวจประเมินสังกัดหน่วยงานเจ้าของผลงาน")
        if own_agency_id in entry_chain:
            return _("หน่วยงานเจ้าของผลงานอยู่ภายใต้หน่วยงานที่ผู้ตรวจประเมินสังกัด (%(own)s)") % {
                "own": _agency_name(own_agency_id)
            }
        if entry_agency_id in tree.chain(own_agency_id):
            return _("ผู้ตรวจประเมินสังกัดหน่วยงานที่อยู่ภายใต้หน่วยงานเจ้าของผลงาน (%(own)s)") % {
                "own": _agency_name(own_agency_id)
            }
    for agency_id in entry_chain:
        if agency_id in declared.agencies:
            if agency_id == entry_agency_id:
                return _("ผู้ตรวจประเมินแจ้งส่วนได้เสียกับหน่วยงานนี้")
            return _("ผู้ตรวจประเมินแจ้งส่วนได้เสียกับ %(agency)s ซึ่งหน่วยงานเจ้าของผลงานอยู่ภายใต้") % {
                "agency": _agency_name(agency_id)
            }
    return None


def _agency_name(agency_id: int) -> str:
    return str(Agency.objects.get(pk=agency_id))


def conflict_reason(assessor, entry: Entry) -> str | None:
    """Why this assessor may not assess this entry (Thai), or None."""
    declared = Declared.of([assessor.pk]).get(assessor.pk, NOTHING_DECLARED)
    return reason(AgencyTree(), assessor.agency_id, declared, entry.pk, entry.agency_id)


def conflicted_agency_ids(assessor) -> set[int]:
    """Every agency whose entries the assessor may not assess: their own agency's chain and
    subtree, and the subtrees of the agencies they declared."""
    declared = Declared.of([assessor.pk]).get(assessor.pk, NOTHING_DECLARED)
    roots = set(declared.agencies)
    chain: list[int] = []
    if assessor.agency_id:
        roots.add(assessor.agency_id)
        chain = AgencyTree().chain(assessor.agency_id)
    return subtree_ids(roots) | set(chain)


def conflicted_entries(assessor) -> QuerySet[Entry]:
    """Entries the assessor must never see or score (the rule above, as a queryset)."""
    declared_entries = ConflictDeclaration.objects.filter(
        assessor=assessor, entry__isnull=False
    ).values("entry_id")
    return Entry.objects.filter(
        Q(agency_id__in=conflicted_agency_ids(assessor)) | Q(pk__in=declared_entries)
    )


class ConflictMap:
    """Many assessors × many entries at once (the solver, the ranking): the tree read once,
    the declarations read once."""

    def __init__(self, assessor_agencies: dict[int, int | None], tree: AgencyTree | None = None):
        self.assessors = dict(assessor_agencies)  # assessor id → their own agency id
        self.tree = tree or AgencyTree.load()
        self.declared = Declared.of(self.assessors)

    def reason(self, assessor_id: int, entry_id: int, entry_agency_id: int) -> str | None:
        return reason(
            self.tree,
            self.assessors[assessor_id],
            self.declared.get(assessor_id, NOTHING_DECLARED),
            entry_id,
            entry_agency_id,
        )
