"""English as the second language: names in the reader's language (portal.models
.in_reader_language, falling back to Thai), and a state named apart from the action of the
same Thai wording ("ถอนใบสมัคร", "ไม่อนุมัติ")."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from awards import submission
from awards.models import EntryState
from cases import search
from portal.accounts.models import MembershipRequest
from portal.reports import requesting
from tests.awards.entry_helpers import complete, private_files  # noqa: F401 (a fixture)
from tests.factories import (
    AgencyFactory,
    BranchFactory,
    CaseStudyFactory,
    EntryFactory,
    TopicFactory,
    UserFactory,
    province,
)
from tests.report_files import pdf_contains, private_storage  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

HIGHLAND_TH = "สถาบันวิจัยและพัฒนาพื้นที่สูง"
HIGHLAND_EN = "Highland Research and Development Institute"


@pytest.fixture
def case():
    agency = AgencyFactory(name_th=HIGHLAND_TH, name_en=HIGHLAND_EN, abbreviation="สวพส.")
    return CaseStudyFactory(
        title="ปลูกกาแฟแทนฝิ่น",
        agency=agency,
        branch=BranchFactory(name_th="สาขาบริการภาครัฐ", name_en="Public Service"),
        provinces=[province("TH-50")],
    )


def page(client, url, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    return html


def test_a_case_page_names_agency_province_and_branch_in_the_readers_language(client, case):
    english = page(client, case.get_absolute_url(), "en")
    for name in (HIGHLAND_EN, "Chiang Mai", "Public Service"):
        assert name in english
    for name in (HIGHLAND_TH, "เชียงใหม่", "สาขาบริการภาครัฐ"):
        assert name not in english
    assert "ปลูกกาแฟแทนฝิ่น" in english  # the case study's own text stays as written

    thai = page(client, case.get_absolute_url(), "th")
    for name in (HIGHLAND_TH, "เชียงใหม่", "สาขาบริการภาครัฐ"):
        assert name in thai
    for name in (HIGHLAND_EN, "Chiang Mai", "Public Service"):
        assert name not in thai


def test_the_case_list_and_its_cached_facets_follow_the_language(client, case):
    # What the worker does after commit; on_commit never runs here, so bump the generation
    # too, or pages cached by an earlier test would be served.
    search.index_case(case.pk)
    search.bump_generation()
    url = reverse("cases:case_list")
    # Thai first: the facet counts are cached, and the English page reads the same cache.
    thai = page(client, url, "th")
    assert "เชียงใหม่" in thai and "Chiang Mai" not in thai
    english = page(client, url, "en")
    assert english.count("Chiang Mai") >= 2  # the card and the province facet
    assert english.count(HIGHLAND_EN) >= 2  # the card and the agency facet
    assert "เชียงใหม่" not in english and HIGHLAND_TH not in english
    assert "เชียงใหม่" in page(client, url, "th")  # and back: the cache kept no English


def test_an_empty_english_name_falls_back_to_thai(client):
    agency = AgencyFactory(name_th="องค์การบริหารส่วนตำบลแม่แตง", name_en="")
    topic = TopicFactory(name_th="การท่องเที่ยวชุมชน", name_en="")
    case = CaseStudyFactory(agency=agency)
    case.topics.add(topic)
    english = page(client, case.get_absolute_url(), "en")
    assert "องค์การบริหารส่วนตำบลแม่แตง" in english and "การท่องเที่ยวชุมชน" in english
    with translation.override("en"):
        assert agency.display_name == "องค์การบริหารส่วนตำบลแม่แตง"


def test_the_agency_page_heads_with_the_readers_name_and_gives_the_other(client, case):
    url = reverse("cases:agency_detail", args=[case.agency.pk])
    english = page(client, url, "en")
    assert f"<h1>{HIGHLAND_EN} (สวพส.)</h1>" in english and HIGHLAND_TH in english
    thai = page(client, url, "th")
    assert f"<h1>{HIGHLAND_TH} (สวพส.)</h1>" in thai and HIGHLAND_EN in thai


def test_the_api_names_follow_accept_language(case):
    api = APIClient()

    def agency(language):
        response = api.get("/api/v1/cases/", headers={"Accept-Language": language})
        assert response.status_code == 200
        return response.json()["results"][0]["agency"]["name"]

    assert agency("en") == HIGHLAND_EN
    assert agency("th") == HIGHLAND_TH


@pytest.mark.usefixtures("private_storage")
def test_a_report_is_built_in_the_language_it_was_asked_in(
    case, django_capture_on_commit_callbacks
):
    reader = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as asked_in_english:
        with translation.override("en"):
            english, _created = requesting.request_report(reader, "case_study", case.pk)
    with django_capture_on_commit_callbacks(execute=True):
        thai, _created = requesting.request_report(reader, "case_study", case.pk)
    assert english.pk != thai.pk  # not the same report in another language
    asked_in_english[0]()  # the worker, whose own language is Thai
    english.refresh_from_db()
    thai.refresh_from_db()
    english_pdf, thai_pdf = english.file.read(), thai.file.read()
    assert pdf_contains(english_pdf, HIGHLAND_EN, "Chiang Mai", "Public Service")
    assert not pdf_contains(english_pdf, "สาขาบริการภาครัฐ")
    assert pdf_contains(thai_pdf, HIGHLAND_TH, "เชียงใหม่", "สาขาบริการภาครัฐ")
    assert not pdf_contains(thai_pdf, "Chiang Mai")


# --- The same Thai words as a state and as an action ---------------------------------------


def test_states_and_actions_read_differently_in_english():
    with translation.override("en"):
        assert EntryState.WITHDRAWN.label == "Withdrawn"
        assert MembershipRequest.State.REJECTED.label == "Rejected"
        assert translation.pgettext("action", "ถอนใบสมัคร") == "Withdraw application"
        assert translation.pgettext("action", "ไม่อนุมัติ") == "Reject"
    with translation.override("th"):
        assert EntryState.WITHDRAWN.label == "ถอนใบสมัคร"
        assert MembershipRequest.State.REJECTED.label == "ไม่อนุมัติ"


@pytest.mark.usefixtures("private_files")
def test_the_entry_page_offers_to_withdraw_then_says_withdrawn(client):
    official = UserFactory()
    entry = EntryFactory(agency=official.agency, created_by=official)
    submission.submit(complete(entry), official)
    client.force_login(official)
    url = reverse("awards:entry", kwargs={"public_id": entry.public_id})
    submitted = page(client, url, "en")
    assert "Withdraw application" in submitted and "Withdrawn" not in submitted
    submission.withdraw(entry, official)
    withdrawn = page(client, url, "en")
    assert "Withdrawn" in withdrawn and "Withdraw application" not in withdrawn
    assert "ถอนใบสมัคร" in page(client, url, "th")


def test_the_membership_pages_offer_reject_and_say_rejected(client):
    coordinator = UserFactory()
    MembershipRequest.objects.create(
        user=coordinator, agency=coordinator.agency, state="approved", is_coordinator=True,
        decided_at="2026-01-01T00:00:00Z",
    )  # fmt: skip
    applicant = UserFactory(agency=None)
    waiting = MembershipRequest.objects.create(user=applicant, agency=coordinator.agency)
    client.force_login(coordinator)
    decisions = page(client, reverse("portal:membership_requests"), "en")
    assert ">Reject<" in decisions and "Rejected" not in decisions
    client.post(reverse("portal:decide_membership_request", args=[waiting.pk]),
                {"decision": "reject"})  # fmt: skip
    client.force_login(applicant)
    mine = page(client, reverse("portal:membership"), "en")
    assert "Rejected" in mine and ">Reject<" not in mine
