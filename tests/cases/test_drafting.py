"""From an awarded entry to a draft model project (cases/drafting.py): announcing a cycle
drafts one per awarded entry, once, from its answers and only its public files; the agency is
invited, reviews its own draft and writes its lessons learned; no other agency can."""

import pytest
from django.urls import reverse

from awards import entry_forms, scoring
from awards.attachments import add_attachment
from awards.models import EntryState
from cases.drafting import draft_announced, texts_from_answers
from cases.models import CaseStudy, Lesson
from portal.notifications.models import Notification
from tests.awards.entry_helpers import PNG_BYTES, pdf, private_files, sdgs  # noqa: F401
from tests.factories import (
    CategoryFactory,
    EntryFactory,
    ScreeningEntryFactory,
    StaffFactory,
    TopicFactory,
    UserFactory,
    province,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png(name="ภาพกิจกรรม.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


@pytest.fixture
def lost_file():
    return False


@pytest.fixture
def announced(private_files, media, lost_file):  # noqa: F811
    """A cycle with an awarded entry (a public photo, a public PDF, a private PDF) and one
    not awarded, announced."""
    staff = StaffFactory()
    agency_province = province("TH-50")
    winner = EntryFactory(
        title="ระบบนัดหมายออนไลน์ลดเวลารอคอยในโรงพยาบาลชุมชน",
        summary="ผู้ป่วยนัดหมายล่วงหน้าผ่านแอปพลิเคชัน",
        sdgs=["3", "16"],
    )
    winner.agency.province = agency_province
    winner.agency.save()
    sdgs(3, 16)
    TopicFactory(name_th="โรงพยาบาล", slug="hospital")
    TopicFactory(name_th="ป่าไม้", slug="forests")
    add_attachment(winner, png(), winner.created_by, "ภาพกิจกรรม", is_public=True)
    add_attachment(winner, pdf("คู่มือ.pdf"), winner.created_by, "คู่มือการใช้งาน", is_public=True)
    add_attachment(winner, pdf("ลับ.pdf"), winner.created_by, "รายชื่อผู้ป่วย")
    if lost_file:
        manual = winner.attachments.get(description="คู่มือการใช้งาน")
        manual.file.storage.delete(manual.file.name)
    winner.state, winner.reference = EntryState.SITE_VISITED, "LR-2570-00001"
    winner.submitted_at = winner.created_at
    winner.save()
    loser = ScreeningEntryFactory(category=winner.category)
    scoring.record_decision(winner, "outstanding", staff)
    scoring.record_decision(loser, "not_awarded", staff)
    scoring.announce_results(winner.category.cycle, staff)
    return winner, loser


def test_announcing_drafts_the_awarded_entry_from_its_answers_and_public_files(announced):
    winner, loser = announced
    case = CaseStudy.objects.get(entry=winner)
    assert not CaseStudy.objects.filter(entry=loser).exists()
    assert not case.is_published and case.published_at is None
    assert (case.title, case.summary) == (winner.title, "ผู้ป่วยนัดหมายล่วงหน้าผ่านแอปพลิเคชัน")
    assert (case.problem, case.approach) == ("สภาพปัญหา", "การดำเนินการ")
    assert case.results == "ผลลัพธ์\n\nตัวชี้วัด"  # results with the indicators
    assert (case.agency, case.category, case.award_level) == (
        winner.agency, winner.category, "outstanding"
    )  # fmt: skip
    assert case.year_be == winner.category.cycle.year_be
    assert [p.code for p in case.provinces.all()] == ["TH-50"]  # the agency's: the form asks none
    assert [t.slug for t in case.topics.all()] == ["hospital"]  # named in the title
    assert sorted(s.number for s in case.sdgs.all()) == [3, 16]
    assert [p.caption for p in case.photos.all()] == ["ภาพกิจกรรม"]
    assert [d.title for d in case.documents.all()] == ["คู่มือการใช้งาน"]
    assert case.photos.get().image.read() == PNG_BYTES  # a public copy, readable


def test_no_private_answer_or_file_reaches_the_draft(announced):
    winner, _loser = announced
    case = CaseStudy.objects.get(entry=winner)
    public_text = " ".join(
        str(getattr(case, f.attname) or "") for f in CaseStudy._meta.concrete_fields
    )
    for private in ("ผู้ประสานงาน", "contact@example.go.th", "0 2000 0000", "ภาคีเครือข่าย"):
        assert private not in public_text
    assert "รายชื่อผู้ป่วย" not in [d.title for d in case.documents.all()]
    assert case.documents.count() + case.photos.count() == 2


@pytest.mark.parametrize("lost_file", [True])
def test_a_public_file_lost_from_storage_does_not_stop_the_announcement(announced):
    winner, _loser = announced
    winner.category.cycle.refresh_from_db()
    assert winner.category.cycle.results_published_at is not None
    case = CaseStudy.objects.get(entry=winner)
    assert [p.caption for p in case.photos.all()] == ["ภาพกิจกรรม"]
    assert not case.documents.exists()


def test_drafting_twice_makes_no_second_draft(announced):
    winner, _loser = announced
    assert draft_announced(winner.category.cycle) == 0
    assert CaseStudy.objects.filter(entry=winner).count() == 1
    assert Notification.objects.filter(kind="case_study_drafted").count() == len(
        {n.email for n in Notification.objects.filter(kind="case_study_drafted")}
    )


def test_the_agency_is_invited_to_review_its_draft(announced):
    winner, loser = announced
    case = CaseStudy.objects.get(entry=winner)
    invited = Notification.objects.filter(kind="case_study_drafted")
    emails = set(invited.values_list("email", flat=True))
    assert {winner.created_by.email, "contact@example.go.th"} <= emails
    assert loser.created_by.email not in emails
    row = invited.filter(email=winner.created_by.email).get()
    assert reverse("cases:draft_review", kwargs={"pk": case.pk}) in row.body


def test_a_pmqa_entry_is_mapped_by_its_codes_and_then_its_long_answers_in_order():
    category = CategoryFactory()
    entry_forms.form_from_data(category, entry_forms.shipped("pmqa40"))
    entry = EntryFactory(
        category=category,
        answers={
            "profile-1": "ลักษณะองค์การ",
            "profile-2": "สภาวการณ์",
            "pmqa-1-1": "การนำองค์การ",
            "pmqa-7-notes": "แนวโน้มผลลัพธ์",
            "contact_name": "ชื่อผู้ประสานงาน",
        },
    )
    texts = texts_from_answers(entry)
    assert texts["summary"] == "ลักษณะองค์การ" and texts["problem"] == "สภาวการณ์"
    assert texts["approach"] == "การนำองค์การ"  # no code for it: the first long answer left
    assert texts["results"] == "แนวโน้มผลลัพธ์"
    assert "ชื่อผู้ประสานงาน" not in " ".join(texts.values())


# --- The agency's review and its lessons learned ------------------------------------------------

LESSON = {
    "lesson-title": "ถอดบทเรียนระบบนัดหมายออนไลน์",
    "lesson-background": "ผู้ป่วยรอนาน",
    "lesson-key_process": "ออกแบบระบบร่วมกับผู้ป่วย",
    "lesson-success_factors": "ผู้บริหารสนับสนุน",
}


def review_data(case, **changes):
    data = {
        "case-title": case.title,
        "case-summary": "สรุปที่หน่วยงานแก้แล้ว",
        "case-problem": case.problem,
        "case-approach": case.approach,
        "case-results": case.results,
        **LESSON,
    }
    return data | changes


def test_an_official_reviews_the_own_draft_and_writes_the_lessons(client, announced):
    winner, _loser = announced
    case = CaseStudy.objects.get(entry=winner)
    official = winner.created_by
    client.force_login(official)
    address = reverse("cases:draft_review", kwargs={"pk": case.pk})
    assert "ถอดบทเรียน" in client.get(address).content.decode()
    response = client.post(address, review_data(case))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.summary == "สรุปที่หน่วยงานแก้แล้ว" and not case.is_published
    lesson = Lesson.objects.get(case_study=case)
    assert (lesson.author, lesson.is_published) == (official, False)
    assert lesson.success_factors == "ผู้บริหารสนับสนุน"
    assert case.history.first().history_user == official
    assert lesson.history.first().history_user == official
    client.post(address, review_data(case, **{"lesson-obstacles": "เครือข่ายช้า"}))
    assert Lesson.objects.get(case_study=case).obstacles == "เครือข่ายช้า"  # the same lesson


def test_a_review_with_a_missing_answer_is_refused_in_thai_and_saves_nothing(client, announced):
    winner, _loser = announced
    case = CaseStudy.objects.get(entry=winner)
    client.force_login(winner.created_by)
    address = reverse("cases:draft_review", kwargs={"pk": case.pk})
    response = client.post(address, review_data(case, **{"lesson-key_process": "  "}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "error-summary" in page and "กระบวนการสำคัญ" in page
    case.refresh_from_db()
    assert case.summary != "สรุปที่หน่วยงานแก้แล้ว" and not Lesson.objects.exists()


def test_another_agency_a_staff_member_or_a_published_draft_cannot_be_reviewed(client, announced):
    winner, _loser = announced
    case = CaseStudy.objects.get(entry=winner)
    address = reverse("cases:draft_review", kwargs={"pk": case.pk})
    assert client.get(address).status_code == 302  # to sign in
    client.force_login(UserFactory())  # an official of another agency
    assert client.get(address).status_code == 404
    assert client.post(address, review_data(case)).status_code == 404
    client.force_login(StaffFactory())
    assert client.get(address).status_code == 404  # staff review in the admin
    case.is_published = True
    case.published_at = case.created_at
    case.save()
    client.force_login(winner.created_by)
    assert client.get(address).status_code == 404  # published: staff only
    case.refresh_from_db()
    assert case.summary == "ผู้ป่วยนัดหมายล่วงหน้าผ่านแอปพลิเคชัน"
