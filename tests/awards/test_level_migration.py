"""The migration from the AwardLevel enum to AwardLevel rows keeps every result, proposed level
and case study's code, and names them as before (awards 0016, cases 0013)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("awards", "0008_panel_member_history"), ("cases", "0010_thesaurus_seed")]


@pytest.mark.django_db(transaction=True)
def test_existing_levels_are_kept_and_named():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    now = timezone.now()
    agency = old.get_model("portal", "Agency").objects.create(name_th="กรมทดสอบ", kind="department")
    user = old.get_model("portal", "User").objects.create(
        username="staff", email="staff@example.go.th", agency=agency
    )
    branch = old.get_model("awards", "Branch").objects.create(code="service", name_th="บริการ")
    cycle = old.get_model("awards", "Cycle").objects.create(
        year_be=2567, applications_open_at=now, applications_close_at=now + datetime.timedelta(1)
    )
    category = old.get_model("awards", "Category").objects.create(
        cycle=cycle, branch=branch, code="innovation", name_th="นวัตกรรม"
    )
    Entry = old.get_model("awards", "Entry")
    panel = old.get_model("awards", "Panel").objects.create(cycle=cycle, name="คณะ", chair=user)
    results = {}
    for n, level in enumerate(["honour", "outstanding", "good", "not_awarded"]):
        entry = Entry.objects.create(
            category=category, agency=agency, created_by=user, title=f"ผลงาน {n}",
            state="awarded", reference=f"LR-2567-{n:06d}", submitted_at=now,
        )  # fmt: skip
        old.get_model("awards", "SiteVisit").objects.create(
            entry=entry, panel=panel, scheduled_at=now, proposed_level=level
        )
        results[level] = old.get_model("awards", "Result").objects.create(
            entry=entry, award_level=level, decided_by=user
        )
    CaseStudy = old.get_model("cases", "CaseStudy")
    for n, level in enumerate(["honour", "outstanding", "good", ""]):
        CaseStudy.objects.create(
            title=f"กรณี {n}", slug=f"case-{n}", summary="-", body="-", year_be=2560 + n,
            award_level=level,
        )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from awards import levels
    from awards.models import AwardLevel, Result, SiteVisit
    from cases.models import CaseStudy as Case

    levels.forget()
    for level, result in results.items():
        migrated = Result.objects.get(pk=result.pk)
        assert migrated.award_level == level
        assert SiteVisit.objects.get(entry_id=migrated.entry_id).proposed_level == level
    # The cycle has the four levels it had, for all its branches, named as the enum named them.
    assert sorted(
        AwardLevel.objects.filter(cycle_id=cycle.pk, branch=None).values_list("code", "rank")
    ) == [("good", 3), ("honour", 1), ("not_awarded", 99), ("outstanding", 2)]
    assert levels.label_of(Result.objects.get(pk=results["outstanding"].pk)) == "ระดับดีเด่น"
    assert levels.is_award("not_awarded") is False
    cases = Case.objects.order_by("year_be")
    assert [c.award_level for c in cases] == ["honour", "outstanding", "good", ""]
    assert [c.award_level_label for c in cases] == [
        "รางวัลเกียรติยศเลิศรัฐ", "ระดับดีเด่น", "ระดับดี", "",
    ]  # fmt: skip
