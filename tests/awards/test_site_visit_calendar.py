"""awards/site_visit_calendar.py: clash warnings (two visits on one day for one assessor, a
visit on a declared unavailable day), the calendar by day / province / panel for staff and
for an assessor (their panels' visits only), and the visited agency sees its own visit —
date, place, online link, the panel's roles without names or contacts — with an .ics file,
never another agency's."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from awards import assessment, site_visit_calendar
from awards.models import EntryState, Unavailability
from tests.factories import (
    AdminAssessorFactory,
    AdminStaffFactory,
    PanelFactory,
    ScreeningEntryFactory,
    UserFactory,
    province,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.ADMIN_REQUIRE_2FA = False


def at(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def visits():
    staff = AdminStaffFactory()
    busy = AdminAssessorFactory(first_name="สมชาย", last_name="ตรวจเข้ม", email="busy@example.go.th")
    first = PanelFactory(name="คณะที่ 1")
    first.members.add(busy)
    second = PanelFactory(name="คณะที่ 2", cycle=first.cycle)
    second.members.add(busy)
    entries = [
        ScreeningEntryFactory(state=EntryState.SHORTLISTED, category__cycle=first.cycle)
        for _ in range(3)
    ]
    entries[0].agency.province = province("TH-50")
    entries[0].agency.save()
    morning, _ = assessment.schedule_site_visit(
        entries[0], first, at(5, 9), staff, place="ศาลากลางจังหวัดเชียงใหม่"
    )
    afternoon, _ = assessment.schedule_site_visit(
        entries[1], second, at(5, 14), staff, is_online=True,
        online_url="https://meet.example.go.th/lertrat-visit",
    )  # fmt: skip
    alone, _ = assessment.schedule_site_visit(entries[2], first, at(9, 10), staff, place="อำเภอ")
    return staff, busy, (first, second), (morning, afternoon, alone)


def test_two_visits_on_one_day_and_a_declared_unavailable_day_are_warned(visits):
    _staff, busy, _panels, (morning, afternoon, alone) = visits
    warnings = site_visit_calendar.clashes([morning, afternoon, alone])
    assert "สมชาย ตรวจเข้ม มีการลงพื้นที่อีก 1 แห่งในวันเดียวกัน" in warnings[morning.pk][0]
    assert afternoon.entry.reference in warnings[morning.pk][0]
    assert len(warnings[afternoon.pk]) == 1
    assert alone.pk not in warnings
    day = timezone.localdate() + datetime.timedelta(days=8)
    Unavailability.objects.create(
        assessor=busy, starts_on=day, ends_on=day + datetime.timedelta(days=2), reason="ประชุม"
    )
    assert "แจ้งไม่สะดวกลงพื้นที่" in site_visit_calendar.clashes([alone])[alone.pk][0]


def test_staff_are_warned_when_scheduling_a_clash(client, visits):
    staff, _busy, (first, _second), _visits = visits
    entry = ScreeningEntryFactory(state=EntryState.SHORTLISTED, category__cycle=first.cycle)
    client.force_login(staff)
    day = timezone.localtime(at(5, 16))
    response = client.post(
        reverse("admin:awards_sitevisit_add"),
        {
            "entry": entry.pk, "panel": first.pk, "scheduled_at_0": str(day.day),
            "scheduled_at_1": str(day.month), "scheduled_at_2": str(day.year + 543),
            "scheduled_at_3": "16:00", "place": "สำนักงานจังหวัด",
        },
        follow=True,
    )  # fmt: skip
    text = response.content.decode()
    assert "มีการลงพื้นที่อีก" in text, text[:3000]


def test_the_calendar_by_day_province_and_panel(client, visits):
    staff, busy, (first, second), (morning, afternoon, alone) = visits
    days = site_visit_calendar.calendar(staff)
    assert [[v.pk for v in d.visits] for d in days] == [[morning.pk, afternoon.pk], [alone.pk]]
    assert [v.pk for d in site_visit_calendar.calendar(staff, province=province("TH-50"))
            for v in d.visits] == [morning.pk]  # fmt: skip
    assert [v.pk for d in site_visit_calendar.calendar(staff, panel=second) for v in d.visits] == [
        afternoon.pk
    ]
    client.force_login(staff)
    page = client.get(reverse("admin:awards_site_visit_calendar"), {"panel": first.pk})
    assert page.status_code == 200 and "มีการลงพื้นที่อีก" in page.content.decode()
    outsider = AdminAssessorFactory()
    client.force_login(outsider)
    page = client.get(reverse("admin:awards_site_visit_calendar"))
    assert page.status_code == 200 and page.context["days"] == []
    client.force_login(busy)
    assert len(client.get(reverse("admin:awards_site_visit_calendar")).context["days"]) == 2


def test_the_agency_sees_its_own_visit_and_its_calendar_file_only(client, visits):
    _staff, busy, _panels, (morning, afternoon, _alone) = visits
    official = UserFactory(agency=afternoon.entry.agency)
    client.force_login(official)
    page = client.get(reverse("awards:entry", args=[afternoon.entry.public_id])).content.decode()
    assert "https://meet.example.go.th/lertrat-visit" in page
    assert "ประธานคณะ 1 คน · ผู้ตรวจประเมิน 1 คน" in page
    assert "ตรวจเข้ม" not in page and "busy@example.go.th" not in page  # no names, no contacts
    assert "ศาลากลางจังหวัดเชียงใหม่" not in page  # another agency's visit
    ics = client.get(
        reverse("awards:site_visit_ics", args=[afternoon.entry.public_id, afternoon.pk])
    )
    assert ics.status_code == 200 and ics["Content-Type"] == "text/calendar"
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert str(event["location"]) == "https://meet.example.go.th/lertrat-visit"
    assert event.decoded("dtstart") == afternoon.scheduled_at
    # Another agency's visit, even under this agency's entry id, is not found.
    for public_id, pk in (
        (morning.entry.public_id, morning.pk),
        (afternoon.entry.public_id, morning.pk),
    ):
        assert client.get(reverse("awards:site_visit_ics", args=[public_id, pk])).status_code == 404
    client.force_login(busy)  # an assessor is no official of the agency
    url = reverse("awards:site_visit_ics", args=[afternoon.entry.public_id, afternoon.pk])
    assert client.get(url).status_code == 404


def be(name: str, day: int) -> dict:
    """A day of July 2570 B.E. as the admin's date boxes post it."""
    return {f"{name}_0": str(day), f"{name}_1": "7", f"{name}_2": "2570"}


def test_an_assessor_declares_their_own_days_and_expertise_only(client):
    from awards.models import AssessorProfile

    me, other = AdminAssessorFactory(), AdminAssessorFactory()
    Unavailability.objects.create(
        assessor=other, starts_on=datetime.date(2027, 7, 1), ends_on=datetime.date(2027, 7, 2)
    )
    client.force_login(me)
    add = reverse("admin:awards_unavailability_add")
    form = client.get(add)
    assert form.status_code == 200 and 'name="assessor"' not in form.content.decode()
    bad = client.post(add, {**be("starts_on", 10), **be("ends_on", 5), "reason": "ประชุม"})
    assert "วันสิ้นสุดต้องไม่ก่อนวันเริ่ม" in bad.content.decode()
    client.post(add, {**be("starts_on", 10), **be("ends_on", 12), "reason": "ประชุม"})
    mine = Unavailability.objects.get(assessor=me)
    assert (mine.starts_on, mine.ends_on) == (
        datetime.date(2027, 7, 10),
        datetime.date(2027, 7, 12),
    )
    listing = client.get(reverse("admin:awards_unavailability_changelist")).content.decode()
    theirs = Unavailability.objects.get(assessor=other)
    url = reverse("admin:awards_unavailability_change", args=[theirs.pk])
    assert reverse("admin:awards_unavailability_change", args=[mine.pk]) in listing
    assert url not in listing  # only their own row
    assert client.get(url).status_code in (302, 404)
    client.post(reverse("admin:awards_assessorprofile_add"), {"region": "north"})
    assert AssessorProfile.objects.get().assessor == me
    assert client.get(reverse("admin:awards_assessorprofile_add")).status_code == 403
