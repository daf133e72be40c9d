"""B.E. dates in the admin as on the site (issue 14, item 1): one decision (portal/thai.py for
display, portal.forms.parse_be_date for input) — Django's named formats, the admin's lists,
change pages, history and date hierarchy show Thai dates with B.E. years; the admin's date
inputs take day / month / B.E. year with the era labelled, refuse a CE-looking or implausible
year in Thai and save nothing; storage stays ISO. Also the Thai 403/404 pages (item 2)."""

import datetime

import pytest
from django import forms
from django.template import Context, Template
from django.utils import formats, timezone, translation

from awards.models import EntryState, SiteVisit
from portal.forms import AdminThaiDateTimeField, ThaiDateField, parse_be_date
from portal.reports.models import Report
from tests.factories import (
    AdminAssessorFactory,
    AdminStaffFactory,
    PanelFactory,
    ScreeningEntryFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 6)


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.ADMIN_REQUIRE_2FA = False


@pytest.fixture
def staff(client):
    user = AdminStaffFactory()
    client.force_login(user)
    return user


def test_django_named_formats_are_buddhist_era_in_thai_and_literal_formats_stay_iso():
    moment = timezone.make_aware(datetime.datetime(2026, 12, 6, 14, 30))
    with translation.override("th"):
        assert formats.localize(DAY) == "6 ธันวาคม 2569"
        assert formats.date_format(moment, "DATETIME_FORMAT") == "6 ธันวาคม 2569 เวลา 14:30 น."
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == "6 ธ.ค. 69"
        assert formats.date_format(DAY, "YEAR_MONTH_FORMAT") == "ธันวาคม 2569"
        rendered = Template('{{ d }}|{{ d|date }}|{{ d|date:"Y-m-d" }}|{{ d|date:"c" }}').render(
            Context({"d": DAY})
        )
        assert rendered == "6 ธันวาคม 2569|6 ธันวาคม 2569|2026-12-06|2026-12-06"
    with translation.override("en"):
        assert "2026" in formats.localize(DAY)


@pytest.mark.parametrize(
    ("year", "code", "words"),
    [
        ("2026", "christian_era_year", "ค.ศ. 2026 คือ พ.ศ. 2569"),
        ("26", "invalid_year", "พ.ศ. 4 หลัก"),
        ("3113", "implausible_year", "ไกลเกินกว่าที่เป็นไปได้"),
    ],
)
def test_a_year_that_is_not_a_plausible_be_year_is_refused_in_thai(year, code, words):
    with pytest.raises(forms.ValidationError) as error:
        parse_be_date("15", "1", year, "วันลงพื้นที่")
    assert error.value.code == code and words in error.value.messages[0]


def test_be_input_is_stored_as_iso():
    assert parse_be_date("15", "1", "2570", "วันที่") == datetime.date(2027, 1, 15)
    field = AdminThaiDateTimeField(label="วันและเวลา")
    moment = field.clean(["15", "1", "2570", "9.30"])
    assert timezone.localtime(moment).replace(tzinfo=None) == datetime.datetime(2027, 1, 15, 9, 30)
    # The public form's field is the same decision (not in the future there).
    with pytest.raises(forms.ValidationError):
        ThaiDateField(label="วันที่").clean(["15", "1", "2026"])


def visit_data(entry, panel, **date):
    return {
        "entry": entry.pk, "panel": panel.pk, "place": "ศาลากลางจังหวัดลำพูน", "notes": "",
        "scheduled_at_0": "15", "scheduled_at_1": "1", "scheduled_at_2": "2570",
        "scheduled_at_3": "09:30", **date,
    }  # fmt: skip


def test_admin_date_input_takes_be_says_the_era_and_refuses_a_ce_year(client, staff):
    entry = ScreeningEntryFactory(state=EntryState.SHORTLISTED)
    panel = PanelFactory(cycle=entry.category.cycle)
    page = client.get("/admin/awards/sitevisit/add/").content.decode()
    assert "ปี พ.ศ." in page and 'name="scheduled_at_2"' in page
    assert "vDateField" not in page  # not Django's CE calendar input

    for year, message in (("2027", "เป็นปี ค.ศ. หรือไม่"), ("3113", "ไกลเกินกว่าที่เป็นไปได้")):
        response = client.post(
            "/admin/awards/sitevisit/add/", visit_data(entry, panel, scheduled_at_2=year)
        )
        assert response.status_code == 200 and message in response.content.decode()
        assert not SiteVisit.objects.exists()

    response = client.post("/admin/awards/sitevisit/add/", visit_data(entry, panel))
    assert response.status_code == 302
    visit = SiteVisit.objects.get()
    local = timezone.localtime(visit.scheduled_at)
    assert (local.year, local.month, local.day, local.hour) == (2027, 1, 15, 9)  # ISO, CE

    listing = client.get("/admin/awards/sitevisit/").content.decode()
    assert "15 มกราคม 2570" in listing and "2027" not in listing
    change = client.get(f"/admin/awards/sitevisit/{visit.pk}/change/").content.decode()
    assert 'value="2570"' in change and 'value="09:30"' in change
    history = client.get(f"/admin/awards/sitevisit/{visit.pk}/history/").content.decode()
    assert "2569" in history or "2570" in history
    assert not any(f" {year}" in history for year in ("2026 ", "2027 "))


def test_date_hierarchy_years_are_buddhist_era(client, staff):
    Report.objects.create(kind="case_study", parameters={"case_study": 1}, requested_by=staff)
    page = client.get("/admin/portal/report/").content.decode()
    this_year = timezone.localdate().year
    start = page.index('class="toplinks"')
    nav = page[start : page.index("</nav>", start)]
    assert f"&lsaquo; {this_year + 543}</a>" in nav and f"; {this_year}<" not in nav


def test_a_chair_refused_the_ranking_gets_a_thai_page_in_the_admin(client):
    chair = AdminAssessorFactory()
    client.force_login(chair)
    response = client.get("/admin/awards/entry/ranking/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "คุณไม่มีสิทธิ์เข้าถึงหน้านี้" in page and "Forbidden" not in page
    assert 'id="site-name"' in page  # the admin's frame


def test_not_found_and_forbidden_outside_the_admin_are_thai_pages(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "ไม่พบหน้าที่ต้องการ" in response.content.decode()
    response = client.get("/admin/awards/sitevisit/999999/change/")
    assert response.status_code in (302, 404)  # anonymous: sent to sign in
