"""Similar past work beside an entry (cases/similar.py, registered on awards.similar_work):
published case studies and entries of earlier cycles, found through the Thai search index one
distinctive word at a time; never an unpublished case (even one whose index row the worker has
not removed yet) nor the entry's own; past entries only as awards.permissions allows the one
looking. Shown on the official's entry page and on the assessor's score sheet."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import assessment, similar_work
from awards.models import AssessmentRound, EntryState, Result
from cases import search, similar
from tests.cases.conftest import index
from tests.factories import (
    AdminAssessorFactory,
    AgencyFactory,
    CaseStudyFactory,
    CategoryFactory,
    CycleFactory,
    EntryFactory,
    ScreeningEntryFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db

FOREST = {"title": "ป่าชุมชนบนพื้นที่สูงของจังหวัด", "summary": "ชาวบ้านกำหนดแนวเขตป่าร่วมกัน"}
# A resubmission: an earlier cycle's entry saying the same in other words.
WEAVING = {"title": "ผ้าทอกระจูดสร้างรายได้ให้ชุมชนริมทะเลสาบ", "summary": "กลุ่มแม่บ้านสานกระจูด"}


def titles(entry, viewer=None):
    return [item.title for item in similar_work.similar_to(entry, viewer or entry.created_by).cases]


def past_entry(year, agency=None, state=EntryState.NOT_AWARDED, category=None, **texts):
    """An entry of an earlier cycle, indexed as the worker does after its submission commits."""
    category = category or CategoryFactory(cycle=CycleFactory(year_be=year))
    entry = ScreeningEntryFactory(
        category=category, agency=agency or AgencyFactory(), state=state, **texts
    )
    search.index_entry(entry.pk)
    return entry


def score_sheet_html(client, entry):
    assessor = AdminAssessorFactory()
    sheet = assessment.assign(entry, assessor, AssessmentRound.SCREENING, StaffFactory()).sheet
    client.force_login(assessor)
    return client.get(reverse("admin:awards_scoresheet_change", args=[sheet.pk])).content.decode()


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


def test_past_entries_cost_the_same_number_of_queries_however_many_match(thai_cases):
    entry, staff = ScreeningEntryFactory(**WEAVING), StaffFactory()
    # Made first: a new agency or category makes the next search re-read the dictionary.
    agency, category = AgencyFactory(), CategoryFactory(cycle=CycleFactory(year_be=2569))
    past_entry(2569, agency, category=category, **WEAVING)

    def queries():
        search.bump_generation("entries")  # as after the entries' commit: nothing cached
        with CaptureQueriesContext(connection) as captured:
            found = similar_work.similar_to(entry, staff)
        return len(captured), len(found.past_entries)

    queries()  # the public kind's bounds are cached per index generation: warm them
    few = queries()
    for n in range(12):
        texts = {"title": f"ผ้าทอกระจูดรุ่นที่ {n}", "summary": "กลุ่มแม่บ้านสานกระจูดขาย"}
        past_entry(2569, agency, category=category, **texts)
    many = queries()
    assert few[1] == 1 and many[1] == similar_work.LIMIT
    assert many[0] == few[0]


def test_the_official_sees_similar_work_on_the_entry_page(client, thai_cases):
    entry = EntryFactory(**FOREST)
    client.force_login(entry.created_by)
    page = client.get(reverse("awards:entry", kwargs={"public_id": entry.public_id}))
    html = page.content.decode()
    assert "ผลงานต้นแบบที่คล้ายกัน" in html
    assert thai_cases["forest_title"].get_absolute_url() in html


def test_the_assessor_sees_similar_work_on_the_score_sheet(client, thai_cases):
    entry = ScreeningEntryFactory(**FOREST)
    html = score_sheet_html(client, entry)
    assert "ผลงานต้นแบบที่คล้ายกัน" in html
    assert thai_cases["forest_title"].get_absolute_url() in html


def test_the_assessor_spots_a_resubmission_of_an_earlier_cycle(client):
    entry = ScreeningEntryFactory(**WEAVING)  # 2570
    earlier = past_entry(
        2568, AgencyFactory(name_th="เทศบาลตำบลทะเลน้อย"), title="ผ้าทอกระจูดของชุมชนริมทะเลสาบ",
        summary="กลุ่มแม่บ้านสานกระจูดขายทางออนไลน์",
    )  # fmt: skip
    Result.objects.create(entry=earlier, award_level="not_awarded", decided_by=StaffFactory())
    awarded = past_entry(2569, state=EntryState.AWARDED, title="กระจูดแปรรูปเพื่อการส่งออก")
    Result.objects.create(entry=awarded, award_level="good", decided_by=StaffFactory())
    same_cycle = ScreeningEntryFactory(title="ผ้าทอกระจูดอีกผลงานในปีเดียวกัน")
    withdrawn = past_entry(2569, state=EntryState.WITHDRAWN, title="ผ้าทอกระจูดที่ถอนใบสมัคร")
    search.index_entry(same_cycle.pk)
    search.index_entry(entry.pk)  # its own row: never listed beside itself

    html = score_sheet_html(client, entry)
    start = html.index('id="similar-entries-title"')
    section = html[start : html.index("</section>", start)]
    assert "ผลงานที่เคยสมัครในปีก่อนซึ่งคล้ายกัน" in html
    assert section.index(earlier.title) < section.index(awarded.title)  # more words in common
    for shown in (earlier.reference, "เทศบาลตำบลทะเลน้อย", "ปีรางวัล พ.ศ. 2568", "ไม่ได้รับรางวัล",
                  "ปีรางวัล พ.ศ. 2569", "ระดับดี"):  # fmt: skip
        assert shown in section
    assert same_cycle.title not in html and withdrawn.title not in html
    assert entry.title not in section


def test_an_official_sees_only_their_own_agencys_past_entries(client):
    agency_a, agency_b = AgencyFactory(), AgencyFactory()
    a_past = past_entry(2568, agency_a, title="ผ้าทอกระจูดของหน่วยงานเอ", summary="สานกระจูด")
    b_past = past_entry(2569, agency_b, title="ผ้าทอกระจูดของหน่วยงานบี", summary="สานกระจูด")
    draft = EntryFactory(agency=agency_b, **WEAVING)  # agency B writes a new entry
    client.force_login(draft.created_by)
    html = client.get(reverse("awards:entry", kwargs={"public_id": draft.public_id})).content
    html = html.decode()
    assert b_past.title in html
    assert reverse("awards:entry", kwargs={"public_id": b_past.public_id}) in html
    assert a_past.title not in html and a_past.reference not in html
