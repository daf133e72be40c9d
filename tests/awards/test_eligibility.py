"""awards/eligibility.py: a category's yes/no questions and its automatic rules refuse an entry
before it starts, with the reason — in the domain (submission.create_entry), on the start page
and through the API."""

import datetime
import uuid

import pytest
from django.utils import timezone

from awards import submission
from awards.models import EligibilityAnswer, EligibilityQuestion, EligibilityRule, Entry, Result
from tests.factories import (
    CaseStudyFactory,
    CategoryFactory,
    CycleFactory,
    ScreeningEntryFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

REFUSAL = "ผลงานต้องดำเนินการมาแล้วไม่น้อยกว่า 1 ปี จึงจะสมัครประเภทนี้ได้"


@pytest.fixture
def category():
    category = CategoryFactory(code="service-innovation", name_th="นวัตกรรมการบริการ")
    EligibilityQuestion.objects.create(
        category=category, order=1, text_th="ผลงานดำเนินการมาแล้วไม่น้อยกว่า 1 ปี",
        eligible_answer=True, refusal_th=REFUSAL,
    )  # fmt: skip
    EligibilityQuestion.objects.create(
        category=category, order=2, text_th="ผลงานนี้เคยได้รับรางวัลจากหน่วยงานอื่นในปีนี้",
        eligible_answer=False, refusal_th="ผลงานที่ได้รับรางวัลอื่นในปีนี้แล้วสมัครไม่ได้",
    )  # fmt: skip
    return category


@pytest.fixture
def official():
    return UserFactory()


def answers(category, *values):
    return dict(zip(category.eligibility_questions.order_by("order").values_list("pk", flat=True),
                    values, strict=True))  # fmt: skip


def test_a_wrong_or_missing_answer_refuses_with_the_reason(category, official):
    for given, reasons in [
        (answers(category, False, False), [REFUSAL]),
        (answers(category, True, True), ["ผลงานที่ได้รับรางวัลอื่นในปีนี้แล้วสมัครไม่ได้"]),
        (None, ["กรุณาตอบคำถามคุณสมบัติ: ผลงานดำเนินการมาแล้วไม่น้อยกว่า 1 ปี",
                "กรุณาตอบคำถามคุณสมบัติ: ผลงานนี้เคยได้รับรางวัลจากหน่วยงานอื่นในปีนี้"]),
    ]:  # fmt: skip
        with pytest.raises(submission.NotEligible) as refused:
            submission.create_entry(category, official.agency, official, answers=given)
        assert refused.value.reasons == reasons
    assert not Entry.objects.exists()
    entry = submission.create_entry(
        category, official.agency, official, answers=answers(category, True, False)
    )
    given = EligibilityAnswer.objects.filter(entry=entry).values_list("answer", flat=True)
    assert sorted(given) == [False, True]


def past_win(agency, year_be, code="service-innovation", level="outstanding"):
    opened = timezone.now() - datetime.timedelta(days=400 * (2571 - year_be))
    cycle = CycleFactory(
        year_be=year_be,
        applications_open_at=opened,
        applications_close_at=opened + datetime.timedelta(days=60),
    )
    entry = ScreeningEntryFactory(
        agency=agency, category=CategoryFactory(cycle=cycle, code=code), state="awarded"
    )
    return Result.objects.create(entry=entry, award_level=level, decided_by=StaffFactory())


def test_an_agency_waits_n_years_after_winning_the_category(official):
    EligibilityRule.objects.create(category=CategoryFactory(cycle=CycleFactory()), years=3)
    rule = EligibilityRule.objects.get()
    category = rule.category
    category.code = "service-innovation"
    category.save()
    past_win(official.agency, 2568)  # 2570 − 2568 = 2 < 3 years
    with pytest.raises(submission.NotEligible) as refused:
        submission.create_entry(category, official.agency, official)
    assert refused.value.reasons == [
        f"หน่วยงานได้รับรางวัลประเภท “{category.name_th}” เมื่อปี พ.ศ. 2568 "
        "จึงสมัครประเภทนี้อีกได้ตั้งแต่ปี พ.ศ. 2571"
    ]
    # Another agency is not concerned by this agency's win.
    other = UserFactory()
    assert submission.create_entry(category, other.agency, other).category == category
    # Once the years have passed (won 2568, 2 years: 2570 is allowed) the agency may enter.
    rule.years = 2
    rule.save()
    assert submission.create_entry(category, official.agency, official).category == category


def test_a_model_project_imported_from_a_past_list_counts_as_a_win(official):
    category = CategoryFactory(code="service-innovation")
    EligibilityRule.objects.create(category=category, years=3)
    past = CategoryFactory(cycle=CycleFactory(year_be=2568), code="service-innovation")
    CaseStudyFactory(agency=official.agency, category=past, year_be=2568, award_level="good")
    with pytest.raises(submission.NotEligible, match="เมื่อปี พ.ศ. 2568"):
        submission.create_entry(category, official.agency, official)
    other = UserFactory()
    CaseStudyFactory(agency=other.agency, category=past, year_be=2568, award_level="")
    assert submission.create_entry(category, other.agency, other).category == category


def test_only_a_win_in_the_same_category_counts(official):
    category = CategoryFactory(code="service-innovation")
    EligibilityRule.objects.create(category=category, years=5)
    past_win(official.agency, 2568, level="not_awarded")
    past_win(official.agency, 2569, code="participation-results")
    assert submission.create_entry(category, official.agency, official).category == category


def test_the_start_page_asks_then_refuses_with_the_reason(client, category, official):
    client.force_login(official)
    token = str(uuid.uuid4())
    page = client.post("/entries/new/", {"category": category.pk, "token": token})
    html = page.content.decode()
    assert page.status_code == 200 and "ผลงานดำเนินการมาแล้วไม่น้อยกว่า 1 ปี" in html
    assert "มีข้อผิดพลาด" not in html  # the questions are shown, not yet errors
    assert not Entry.objects.exists()
    step = {"category": category.pk, "token": token, "step": "eligibility"}
    q1, q2 = answers(category, 0, 0)
    page = client.post("/entries/new/", {**step, f"question_{q1}": "yes"})
    assert "กรุณาตอบคำถามนี้" in page.content.decode()
    page = client.post("/entries/new/", {**step, f"question_{q1}": "no", f"question_{q2}": "no"})
    assert REFUSAL in page.content.decode()
    assert not Entry.objects.exists()
    page = client.post("/entries/new/", {**step, f"question_{q1}": "yes", f"question_{q2}": "no"})
    entry = Entry.objects.get()
    assert page.url == f"/entries/{entry.public_id}/"
    assert (entry.agency, entry.eligibility_answers.count()) == (official.agency, 2)


def test_the_api_takes_the_answers_and_refuses_with_the_reason(client, category, official):
    client.force_login(official)
    wrong, right = answers(category, False, False), answers(category, True, False)
    refused = client.post(
        "/api/v1/entries/",
        {"category": category.pk, "title": "ผลงาน", "eligibility_answers": wrong},
        content_type="application/json",
    )
    assert refused.status_code == 400 and REFUSAL in refused.json()["detail"]
    bad = client.post(
        "/api/v1/entries/",
        {"category": category.pk, "eligibility_answers": {"first": True}},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "eligibility_answers" in bad.json()
    started = client.post(
        "/api/v1/entries/",
        {"category": category.pk, "title": "ผลงาน", "eligibility_answers": right},
        content_type="application/json",
    )
    assert started.status_code == 201
    listed = client.get(f"/api/v1/categories/{category.pk}/").json()["eligibility_questions"]
    assert [q["text_th"] for q in listed][0] == "ผลงานดำเนินการมาแล้วไม่น้อยกว่า 1 ปี"
