"""Assisted assignment budget (issue 18): the solver proposes an assignment of 1,000 entries of
one category to 150 assessors (3 per entry, at most 25 each) in ≤ 10 s.

The cycle is made up here (`make_cycle`, also used by the tests at a smaller size) inside one
transaction that is rolled back at the end: an agency tree of ministries › departments ›
divisions spread over the provinces, entries from departments and divisions, assessors from
every level (one from a ministry is conflicted with its whole subtree), one in ten declaring a
conflict with another agency, expertise declared for one or two branches. The time is
awards.assignment.propose as staff's preview calls it: reading, conflicts, building and solving.
"""

import os
import random
import time
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

BUDGET_S = 10.0


@dataclass
class GeneratedCycle:
    category: object
    entries: list
    assessors: list
    staff: object


def make_cycle(n_entries: int, n_assessors: int, seed: int = 18, year_be: int = 2690):
    """A category of `n_entries` entries under screening and `n_assessors` assessors with the
    agency tree, conflicts and expertise described above."""
    from awards import entry_forms
    from awards.models import (
        AssessorProfile,
        Branch,
        Category,
        ConflictDeclaration,
        Cycle,
        Entry,
        EntryState,
    )
    from portal.accounts.models import Role, User
    from portal.agencies.models import Agency, AgencyKind, Province

    rng = random.Random(seed)
    now = timezone.now()
    provinces = list(Province.objects.all())
    tag = f"{year_be}-{seed}"

    def agencies(kind, parents, per_parent, label):
        made = Agency.objects.bulk_create(
            Agency(
                name_th=f"{label}ทดสอบ {tag} {p_index}-{i}",
                kind=kind,
                parent=parent,
                province=rng.choice(provinces),
            )
            for p_index, parent in enumerate(parents)
            for i in range(per_parent)
        )
        return made

    ministries = agencies(AgencyKind.MINISTRY, [None], 10, "กระทรวง")
    departments = agencies(AgencyKind.DEPARTMENT, ministries, 6, "กรม")
    divisions = agencies(AgencyKind.DIVISION, departments, 3, "กอง")
    branches = [
        Branch.objects.get_or_create(
            code=f"bench-{code}", defaults={"name_th": f"สาขาทดสอบ {code}", "name_en": code}
        )[0]
        for code in ("service", "pmqa", "participation")
    ]
    cycle = Cycle.objects.create(
        year_be=year_be,
        applications_open_at=now - timezone.timedelta(days=60),
        applications_close_at=now - timezone.timedelta(days=30),
    )
    category = Category.objects.create(
        cycle=cycle, branch=branches[0], code="bench", name_th=f"ประเภททดสอบ {tag}"
    )
    owner = User.objects.create(
        username=f"bench-owner-{tag}", email=f"owner-{tag}@example.go.th", role=Role.OFFICIAL
    )
    staff = User.objects.create(
        username=f"bench-staff-{tag}", email=f"staff-{tag}@example.go.th", role=Role.STAFF,
        is_staff=True,
    )  # fmt: skip
    entry_agencies = departments + divisions
    form = entry_forms.form_for_new_entry(category)
    entries = Entry.objects.bulk_create(
        Entry(
            category=category,
            agency=rng.choice(entry_agencies),
            created_by=owner,
            state=EntryState.SCREENING,
            reference=f"B{tag}-{i:05d}",
            submitted_at=now,
            title=f"ผลงานทดสอบ {i}",
            form=form,
        )
        for i in range(n_entries)
    )
    all_agencies = ministries + departments + divisions
    assessors = User.objects.bulk_create(
        User(
            username=f"bench-assessor-{tag}-{i}",
            email=f"assessor-{tag}-{i}@example.go.th",
            role=Role.ASSESSOR,
            is_staff=True,
            agency=rng.choice(all_agencies),
        )
        for i in range(n_assessors)
    )
    profiles = AssessorProfile.objects.bulk_create(
        AssessorProfile(assessor=a, region=rng.choice(provinces).region) for a in assessors
    )
    for profile in profiles:
        profile.branches.set(rng.sample(branches, rng.choice((1, 2))))
    ConflictDeclaration.objects.bulk_create(
        ConflictDeclaration(assessor=a, agency=rng.choice(all_agencies), reason="ทดสอบ")
        for a in assessors
        if rng.random() < 0.1
    )
    return GeneratedCycle(category, entries, assessors, staff)


class Rollback(Exception):
    pass


def run() -> dict:
    from awards import assignment
    from awards.models import AssessmentRound

    figures: dict = {"budget_s": BUDGET_S, "load_average_start": os.getloadavg()}
    try:
        with transaction.atomic():
            started = time.perf_counter()
            made = make_cycle(1000, 150)
            figures["setup_s"] = round(time.perf_counter() - started, 1)
            cpu = time.process_time()
            proposal = assignment.propose(made.category, AssessmentRound.SCREENING, 3, 25)
            figures["propose_1000x150_s"] = round(proposal.seconds, 2)
            # CPU seconds of this process: what the time would be on an idle core.
            figures["propose_1000x150_cpu_s"] = round(time.process_time() - cpu, 2)
            figures["pairs"] = len(proposal.pairs)
            figures["uncovered_entries"] = len(proposal.uncovered)
            loads = [after for _a, _before, after in proposal.loads()]
            figures["load_min_max"] = [min(loads), max(loads)]
            figures["load_average_end"] = os.getloadavg()
            verdict = "within" if proposal.seconds <= BUDGET_S else "OVER"
            print(
                f"[bench] propose 1,000 entries × 150 assessors: {proposal.seconds:.2f} s "
                f"(budget {BUDGET_S:.0f} s, {verdict}; CPU {figures['propose_1000x150_cpu_s']} s); "
                f"{len(proposal.pairs)} assignments, "
                f"{len(proposal.uncovered)} entries not fully covered, loads {min(loads)}–"
                f"{max(loads)}; load average {figures['load_average_start']} → "
                f"{figures['load_average_end']}",
                flush=True,
            )
            raise Rollback
    except Rollback:
        pass
    return figures
