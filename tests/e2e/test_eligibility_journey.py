"""An official picks a category with eligibility questions in a real browser: the questions come
next on the same page, a wrong answer is refused with its reason (Thai, accessible), the right
ones start the entry."""

import re

import pytest
from playwright.sync_api import expect

from awards.models import EligibilityQuestion, Entry
from tests.e2e.checks import serious_violations
from tests.factories import CategoryFactory, UserFactory

from .test_submission_journey import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REFUSAL = "การสมัครรางวัล PMQA 4.0 ต้องมีรายงานผลการดำเนินการครบทั้ง 7 หมวด"


def test_a_wrong_answer_is_refused_with_the_reason_then_the_entry_starts(page):
    UserFactory(username="official")
    category = CategoryFactory(name_th="PMQA 4.0")
    EligibilityQuestion.objects.create(
        category=category,
        text_th="หน่วยงานจัดทำรายงานผลการดำเนินการตามเกณฑ์ PMQA 4.0 ครบทั้ง 7 หมวดแล้ว",
        refusal_th=REFUSAL,
    )
    sign_in(page, "official")
    page.get_by_role("link", name="สมัครผลงานใหม่").click()
    page.get_by_role("radio", name=re.compile("PMQA 4.0")).check()
    page.get_by_role("button", name="เริ่มเขียนผลงาน").click()

    question = page.get_by_role("group", name=re.compile("ครบทั้ง 7 หมวดแล้ว"))
    expect(question).to_be_visible()
    assert not serious_violations(page)
    question.get_by_role("radio", name="ไม่ใช่", exact=True).check()
    page.get_by_role("button", name="ยืนยันและเริ่มเขียนผลงาน").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(REFUSAL)
    assert not serious_violations(page)
    assert not Entry.objects.exists()

    page.get_by_role("group", name=re.compile("ครบทั้ง 7 หมวดแล้ว")).get_by_role(
        "radio", name="ใช่", exact=True
    ).check()
    page.get_by_role("button", name="ยืนยันและเริ่มเขียนผลงาน").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("สมัครผลงาน")
    entry = Entry.objects.get()
    assert entry.eligibility_answers.get().answer is True
