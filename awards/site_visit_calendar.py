"""Site-visit logistics: the calendar of visits (by day, province, panel), the clash warnings
(an assessor with two visits on one day, or a visit on a day they declared unavailable), and
what the visited agency sees of its visit — date, place or online link, the panel's roles
without names or contacts — with an iCalendar (.ics) file.

Clashes are warnings for staff, not rules: a panel may well do two visits in one city on one
day. Days are Bangkok days."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from portal.thai import format_date

from . import permissions
from .assessment import panel_assessors
from .models import Entry, PanelMember, SiteVisit, Unavailability

VISIT_HOURS = 3  # how long a visit is shown in a calendar file


def local_day(visit: SiteVisit) -> datetime.date:
    return timezone.localtime(visit.scheduled_at).date()


def _person(user) -> str:
    return user.get_full_name() or user.username


def clashes(visits: list[SiteVisit]) -> dict[int, list[str]]:
    """Visit id → its warnings (Thai), for the given visits among ALL visits: whoever is on a
    visit's panel (chair and members) and has another visit that day, or declared the day
    unavailable. Three queries whatever the number of visits."""
    if not visits:
        return {}
    days = {local_day(v) for v in visits}
    start = min(days) - datetime.timedelta(days=1)
    end = max(days) + datetime.timedelta(days=2)
    same_days = list(
        SiteVisit.objects.filter(
            scheduled_at__date__gte=start, scheduled_at__date__lt=end
        ).select_related("panel__chair", "entry")
    )
    members = defaultdict(dict)  # panel id → person id → person
    for visit in same_days:
        members[visit.panel_id][visit.panel.chair_id] = visit.panel.chair
    for membership in PanelMember.objects.filter(
        panel_id__in={v.panel_id for v in same_days}
    ).select_related("assessor"):
        members[membership.panel_id][membership.assessor_id] = membership.assessor
    busy = defaultdict(list)  # (person id, day) → visits
    for visit in same_days:
        for person_id in members[visit.panel_id]:
            busy[(person_id, local_day(visit))].append(visit)
    people = {pid for panel in members.values() for pid in panel}
    away = list(
        Unavailability.objects.filter(
            assessor_id__in=people, starts_on__lte=max(days), ends_on__gte=min(days)
        )
    )
    warnings: dict[int, list[str]] = {}
    for visit in visits:
        day, found = local_day(visit), []
        for person_id, person in members[visit.panel_id].items():
            others = [v for v in busy[(person_id, day)] if v.pk != visit.pk]
            if others:
                found.append(
                    _("%(person)s มีการลงพื้นที่อีก %(n)d แห่งในวันเดียวกัน (%(where)s)")
                    % {
                        "person": _person(person),
                        "n": len(others),
                        "where": ", ".join(o.entry.reference or str(o.entry) for o in others),
                    }
                )
            for period in away:
                if period.assessor_id == person_id and period.starts_on <= day <= period.ends_on:
                    found.append(
                        _("%(person)s แจ้งไม่สะดวกลงพื้นที่ %(from)s – %(to)s")
                        % {
                            "person": _person(person),
                            "from": format_date(period.starts_on),
                            "to": format_date(period.ends_on),
                        }
                    )
        if found:
            warnings[visit.pk] = found
    return warnings


@dataclass
class CalendarDay:
    day: datetime.date
    visits: list[SiteVisit] = field(default_factory=list)


def calendar(user, cycle=None, province=None, panel=None) -> list[CalendarDay]:
    """The visits the user may see, by Bangkok day, optionally of a cycle, a province (the
    visited agency's) or a panel; each visit carries `.warnings`."""
    visits = permissions.site_visits_visible_to(user).select_related(
        "entry__agency__province", "panel", "entry__category"
    )
    if cycle is not None:
        visits = visits.filter(panel__cycle=cycle)
    if province is not None:
        visits = visits.filter(entry__agency__province=province)
    if panel is not None:
        visits = visits.filter(panel=panel)
    visits = list(visits.order_by("scheduled_at"))
    warnings = clashes(visits)
    days: dict[datetime.date, CalendarDay] = {}
    for visit in visits:
        visit.warnings = warnings.get(visit.pk, [])
        days.setdefault(local_day(visit), CalendarDay(local_day(visit))).visits.append(visit)
    return list(days.values())


# --- What the visited agency sees ----------------------------------------------------------


@dataclass
class AgencyVisit:
    """A visit as its agency sees it: no assessor's name, e-mail or telephone."""

    visit: SiteVisit
    chair_count: int
    member_count: int


def visits_for_agency(entry: Entry) -> list[AgencyVisit]:
    """The visits to this entry (the caller has checked it is the user's agency's)."""
    shown = []
    for visit in entry.site_visits.select_related("panel").order_by("scheduled_at"):
        people = panel_assessors(visit.panel)
        shown.append(AgencyVisit(visit, 1, len(people) - 1))
    return shown


def agency_visit(user, public_id, visit_id) -> SiteVisit | None:
    """One visit to an entry of the user's own agency, or None (another agency's: none)."""
    return (
        SiteVisit.objects.filter(
            pk=visit_id,
            entry__public_id=public_id,
            entry__in=permissions.entries_of_own_agency(user),
        )
        .select_related("entry__agency")
        .first()
    )


def ics(visit: SiteVisit) -> bytes:
    """The visit as an iCalendar file (RFC 5545) for the agency's calendar."""
    calendar_file = Calendar()
    calendar_file.add("prodid", "-//OPDC//Lertrat awards//TH")
    calendar_file.add("version", "2.0")
    event = Event()
    event.add("uid", f"site-visit-{visit.pk}@lertrat")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", visit.scheduled_at)
    event.add("dtend", visit.scheduled_at + datetime.timedelta(hours=VISIT_HOURS))
    event.add(
        "summary",
        _("ลงพื้นที่ตรวจประเมินผลงาน %(reference)s") % {"reference": visit.entry.reference},
    )
    if visit.is_online:
        event.add("location", visit.online_url or _("ออนไลน์"))
        if visit.online_url:
            event.add("url", visit.online_url)
    else:
        event.add("location", visit.place)
    event.add("description", visit.entry.title)
    calendar_file.add_component(event)
    return calendar_file.to_ical()
