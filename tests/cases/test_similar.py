"""Similar published work beside an entry (cases/similar.py, registered on
awards.similar_work): found through the Thai search index one distinctive word at a time;
never an unpublished case (even one whose index row the worker has not removed yet) nor the
entry's own; shown on the official's entry page and on the assessor's score sheet."""

import pytest
from django.urls import reverse

from awards import assessment, similar_work
from awards.models import AssessmentRound
from cases import similar
from tests.cases.conftest import index
from tests.factories import (
    AdminAssessorFactory,
    CaseStudyFactory,
    EntryFactory,
    ScreeningEntryFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db

FOREST = {"title": "ป่าชุมชนบนพื้นที่สูงของจังหวัด", "summary": "ชาวบ้านกำหนดแนวเขตป่าร่วมกัน"}


def titles(entry):
    return [item.title for item in similar_work.similar_to(entry)]


def test_the_most_similar_published_cases_come_first(thai_cases):
    entry = EntryFactory(**FOREST)
    found = titles(entry)
    assert found[0] == thai_cases["forest_title"].title  # shares the most words
    assert thai_cases["hospital"].title not in found


def test_unpublished_and_the_entrys_own_case_are_never_listed(thai_cases):
    entry = EntryFactory(**FOREST)
    own = CaseStudyFactory(slug="own", title="ป่าชุมชนบนพื้นที่สูง ฉบับของผู้สมัคร", entry=entry)
    hidden = CaseStudyFactory(slug="hidden", title="ป่าชุมชนบนพื้นที่สูงที่ยังไม่เผยแพร่")
    index(own, hidden)
    hidden.is_published, hidden.published_at = False, None
    hidden.save()  # its index row is still there until the worker runs
    found = titles(entry)
    assert found and own.title not in found and hidden.title not in found


def test_the_work_is_bounded(thai_cases):
    long_text = " ".join(f"คำที่{n} ป่าชุมชน โรงพยาบาล เกษตรกร" for n in range(50))
    assert len(similar.distinctive_words(long_text)) <= similar.MAX_WORDS
    for n in range(8):
        index(CaseStudyFactory(slug=f"forest-{n}", title=f"ชาวบ้านดูแลพื้นที่สูงแห่งที่ {n}"))
    assert len(titles(EntryFactory(**FOREST))) == similar_work.LIMIT


def test_the_official_sees_similar_work_on_the_entry_page(client, thai_cases):
    entry = EntryFactory(**FOREST)
    client.force_login(entry.created_by)
    page = client.get(reverse("awards:entry", kwargs={"public_id": entry.public_id}))
    html = page.content.decode()
    assert "ผลงานต้นแบบที่คล้ายกัน" in html
    assert thai_cases["forest_title"].get_absolute_url() in html


def test_the_assessor_sees_similar_work_on_the_score_sheet(client, settings, thai_cases):
    settings.ADMIN_REQUIRE_2FA = False
    entry = ScreeningEntryFactory(**FOREST)
    assessor = AdminAssessorFactory()
    sheet = assessment.assign(entry, assessor, AssessmentRound.SCREENING, StaffFactory()).sheet
    client.force_login(assessor)
    html = client.get(reverse("admin:awards_scoresheet_change", args=[sheet.pk])).content.decode()
    assert "ผลงานต้นแบบที่คล้ายกัน" in html
    assert thai_cases["forest_title"].get_absolute_url() in html
