"""Hostile input (Hypothesis): Thai, mixed scripts, combining marks, zero-width and
bidi-control characters, control characters, NUL, very long strings — through search, the
entry forms, sign-up and sign-in. Never a 500; what is saved is exactly what was accepted."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awards.models import Entry
from tests.factories import CaseStudyFactory, EntryFactory, UserFactory

pytestmark = pytest.mark.django_db

SPECIAL = [
    "\x00", "\x07", "\x1b[31m", "\r\n", "\t", "\u200b", "\u200d", "\u202e", "\ufeff", "\ufffd",
    "ํา", "เเ", "่่่่", "ก์์", "PMQA 4.0", "ก.พ.ร.", "' OR 1=1 --", "<script>alert(1)</script>",
    "%00", "../../etc/passwd", "😀", "𝕋", "ﷺ", "\\", '"', "&amp;", "{{ 7*7 }}", "\udcff"[:0],
]  # fmt: skip
thai = st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B)
anything = st.characters(codec="utf-8")
hostile = st.one_of(
    st.text(st.one_of(thai, anything), max_size=60),
    st.lists(st.sampled_from(SPECIAL) | st.text(thai, max_size=8), max_size=12).map("".join),
    st.builds(lambda s, n: s * n, st.text(st.one_of(thai, anything), min_size=1, max_size=5),
              st.integers(200, 3000)),
)  # fmt: skip
FUZZ = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def some_cases():
    CaseStudyFactory(title="ระบบจัดการขยะชุมชน PMQA 4.0")
    CaseStudyFactory(title="โรงพยาบาลส่งเสริมสุขภาพตำบล")


@FUZZ
@given(query=hostile, sort=hostile, page=hostile)
@pytest.mark.parametrize("path", ["/cases/", "/lessons/"])
def test_search_never_fails(client, some_cases, path, query, sort, page):
    response = client.get(path, {"q": query, "sort": sort, "page": page})
    assert response.status_code in (200, 400, 404), response.status_code


@FUZZ
@given(title=hostile, summary=hostile)
def test_entry_section_saves_exactly_what_it_accepts(client, title, summary):
    entry = Entry.objects.filter(title__startswith="ฉบับเดิม").first()
    if entry is None:
        official = UserFactory()
        entry = EntryFactory(agency=official.agency, created_by=official, title="ฉบับเดิม")
    client.force_login(entry.created_by)
    before = Entry.objects.values("title", "answers").get(pk=entry.pk)
    response = client.post(
        reverse("awards:section", args=[entry.public_id, "basic"]),
        {"title": title, "summary": summary, "action": "later"},
    )
    assert response.status_code in (200, 302), response.status_code
    after = Entry.objects.values("title", "answers").get(pk=entry.pk)
    if response.status_code == 302:
        assert after["title"] == title.strip()
        assert after["answers"].get("summary") == summary.strip()
        answers = {k: v for k, v in after["answers"].items() if k != "summary"}
        Entry.objects.filter(pk=entry.pk).update(title="ฉบับเดิม", answers=answers)
    else:  # refused: nothing half-saved
        assert after == before
        assert "error-summary" in response.content.decode()


@FUZZ
@given(email=hostile, first=hostile, last=hostile, password=hostile)
def test_sign_up_never_fails(client, email, first, last, password):
    response = client.post(
        reverse("portal:sign_up"),
        {"email": email, "first_name": first, "last_name": last, "password1": password,
         "password2": password, "privacy_notice": "on"},
    )  # fmt: skip
    assert response.status_code in (200, 302), response.status_code


@FUZZ
@given(username=hostile, password=hostile)
def test_sign_in_never_fails(client, username, password):
    response = client.post(reverse("portal:login"), {"username": username, "password": password})
    assert response.status_code < 500, response.status_code
