"""What the award cycle tells people, and when: the kinds of notification this app registers
with the core (portal/notifications) and the hooks the domain modules call where a state
changes (inside their transaction: nothing is sent if it rolls back).

Who is told:
- an entry's agency — its active officials and the entry's contact person (told in Thai when
  they have no account);
- assessors — the one assigned, a site visit's panel;
- the secretariat — the daily digest of what is late.

This module reads the models and permissions only; submission.py, assessment.py and scoring.py
call it (never the other way), and tasks.py runs the reminders and the digest."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.db.models.signals import post_init, post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.notifications.kinds import NotificationKind, register
from portal.notifications.models import Notification
from portal.notifications.sending import Recipient, notify
from portal.site_address import absolute
from portal.thai import format_date

from . import levels
from .answers import contact_emails
from .models import (
    AssessmentRound,
    Assignment,
    Clarification,
    Cycle,
    Entry,
    EntryState,
    Feedback,
    Result,
    ScoreSheet,
    SiteVisit,
)

# --- People -------------------------------------------------------------------------------------


def agency_recipients(entry: Entry, *also) -> list[Recipient]:
    """The entry's agency: its active officials, anyone named in `also` (the submitter), and
    the addresses of the entry's contact people (its form's e-mail questions)."""
    from portal.accounts.models import Role

    people = get_user_model().objects.filter(
        agency_id=entry.agency_id, role=Role.OFFICIAL, is_active=True
    )
    recipients = [Recipient.of_user(user) for user in [*also, *people] if user is not None]
    recipients += [Recipient(email=address) for address in contact_emails(entry)]
    return recipients


def secretariat_recipients() -> list[Recipient]:
    from portal.accounts.models import Role

    people = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(role=Role.STAFF) | Q(is_superuser=True))
    )
    return [Recipient.of_user(user) for user in people]


def sheet_due_on(assignment: Assignment) -> datetime.date | None:
    """When an assessor's sheet is due: screening sheets before site visits start, site-visit
    sheets before the committee meets (the cycle's milestones; None when not set)."""
    cycle = assignment.entry.category.cycle
    if assignment.round == AssessmentRound.SCREENING:
        return cycle.site_visits_start_on
    return cycle.decision_on


# --- Values of the placeholders -----------------------------------------------------------------

ENTRY_PLACEHOLDERS = {
    "entry_reference": gettext_lazy("เลขที่อ้างอิงผลงาน"),
    "entry_title": gettext_lazy("ชื่อผลงาน"),
    "agency": gettext_lazy("หน่วยงานเจ้าของผลงาน"),
    "category": gettext_lazy("ประเภทรางวัล"),
    "cycle_year": gettext_lazy("ปีรางวัล (พ.ศ.)"),
    "entry_url": gettext_lazy("ลิงก์หน้าผลงาน"),
}


def entry_values(entry: Entry, recipient=None) -> dict[str, str]:
    return {
        "entry_reference": entry.reference or _("(ฉบับร่าง)"),
        "entry_title": entry.title,
        "agency": entry.agency.display_name,
        "category": entry.category.display_name,
        "cycle_year": str(entry.category.cycle.year_be),
        "entry_url": absolute(reverse("awards:entry", kwargs={"public_id": entry.public_id})),
    }


def latest(model, **filters):
    return lambda: model.objects.filter(**filters).order_by("-pk").first()


def not_set() -> str:
    return _("ยังไม่กำหนด")


# --- Entry submitted (the confirmation) ---------------------------------------------------------


def submitted_values(entry: Entry, recipient) -> dict[str, str]:
    screening = entry.category.cycle.screening_starts_on
    return {
        **entry_values(entry),
        "submitted_at": format_date(entry.submitted_at, with_time=True),
        "submitted_by": str(entry.submitted_by or ""),
        "withdraw_until": format_date(screening) if screening else not_set(),
    }


register(
    NotificationKind(
        code="entry_submitted",
        order=10,
        label=gettext_lazy("ยืนยันการรับผลงาน"),
        audience=gettext_lazy("ผู้ส่ง เจ้าหน้าที่ของหน่วยงาน และผู้ประสานงานของผลงาน"),
        subject=gettext_lazy("ได้รับผลงานสมัครรางวัลเลิศรัฐแล้ว เลขที่อ้างอิง {entry_reference}"),
        body=gettext_lazy(
            "เรียน {agency}\n\n"
            "สำนักงาน ก.พ.ร. ได้รับผลงานที่สมัครรางวัลเลิศรัฐของท่านแล้ว\n\n"
            "เลขที่อ้างอิง: {entry_reference}\n"
            "ชื่อผลงาน: {entry_title}\n"
            "ประเภทรางวัล: {category}\n"
            "ปีรางวัล: พ.ศ. {cycle_year}\n"
            "ส่งเมื่อ: {submitted_at}\n"
            "ส่งโดย: {submitted_by}\n\n"
            "ติดตามสถานะของผลงานได้ที่:\n{entry_url}\n\n"
            "หน่วยงานถอนใบสมัครได้ก่อนเริ่มกลั่นกรองเอกสารในวันที่ {withdraw_until}\n"
            "โปรดเก็บเลขที่อ้างอิงนี้ไว้เพื่อติดต่อสำนักงาน ก.พ.ร.\n\n"
            "สำนักงานคณะกรรมการพัฒนาระบบราชการ (สำนักงาน ก.พ.ร.)\n"
        ),
        placeholders={
            **ENTRY_PLACEHOLDERS,
            "submitted_at": gettext_lazy("วันเวลาที่ส่ง"),
            "submitted_by": gettext_lazy("ผู้ส่ง"),
            "withdraw_until": gettext_lazy("วันที่เริ่มกลั่นกรองเอกสาร (ถอนได้ก่อนวันนี้)"),
        },
        values=submitted_values,
        sample=latest(Entry, submitted_at__isnull=False),
    )
)


def entry_submitted(entry: Entry) -> None:
    """The confirmation, once per submission (a resubmission after a reopen is confirmed
    again: the occasion is the submission's time)."""
    notify(
        "entry_submitted",
        entry,
        agency_recipients(entry, entry.submitted_by),
        occasion=entry.submitted_at.isoformat(),
        link=reverse("awards:entry", kwargs={"public_id": entry.public_id}),
    )


# --- Assessor assigned --------------------------------------------------------------------------


def assigned_values(assignment: Assignment, recipient) -> dict[str, str]:
    due = sheet_due_on(assignment)
    return {
        **entry_values(assignment.entry),
        "round": AssessmentRound(assignment.round).label,
        "due_date": format_date(due) if due else not_set(),
        "admin_url": absolute(reverse("admin:awards_assignment_changelist")),
    }


ASSIGNMENT_PLACEHOLDERS = {
    **ENTRY_PLACEHOLDERS,
    "round": gettext_lazy("รอบการประเมิน"),
    "due_date": gettext_lazy("กำหนดส่งแบบให้คะแนน"),
    "admin_url": gettext_lazy("ลิงก์รายการงานประเมินในระบบบริหารจัดการ"),
}

register(
    NotificationKind(
        code="assessor_assigned",
        order=20,
        label=gettext_lazy("มอบหมายงานประเมิน"),
        audience=gettext_lazy("ผู้ตรวจประเมินที่ได้รับมอบหมาย"),
        subject=gettext_lazy("ท่านได้รับมอบหมายให้ประเมินผลงาน {entry_reference} ({round})"),
        body=gettext_lazy(
            "เรียน {recipient_name}\n\n"
            "ท่านได้รับมอบหมายให้ประเมินผลงานในรอบ{round}\n\n"
            "ผลงาน: {entry_reference} {entry_title}\n"
            "ประเภทรางวัล: {category} (พ.ศ. {cycle_year})\n"
            "กำหนดส่งแบบให้คะแนน: {due_date}\n\n"
            "แบบให้คะแนนของท่านอยู่ในระบบบริหารจัดการ:\n{admin_url}\n"
            "หากท่านมีส่วนได้เสียกับผลงานหรือหน่วยงานนี้ โปรดแจ้งในระบบก่อนให้คะแนน\n\n"
            "สำนักงาน ก.พ.ร.\n"
        ),
        placeholders=ASSIGNMENT_PLACEHOLDERS,
        values=assigned_values,
        sample=latest(Assignment),
    )
)


def assessor_assigned(assignment: Assignment) -> None:
    notify(
        "assessor_assigned",
        assignment,
        [Recipient.of_user(assignment.assessor)],
        link=reverse("admin:awards_assignment_changelist"),
    )


# --- Score sheets due, then overdue (assessors; reminders) --------------------------------------

register(
    NotificationKind(
        code="score_sheet_due",
        order=25,
        label=gettext_lazy("เตือนกำหนดส่งแบบให้คะแนน"),
        audience=gettext_lazy("ผู้ตรวจประเมินที่ยังไม่ส่งแบบให้คะแนน ตามจำนวนวันก่อนกำหนด"),
        subject=gettext_lazy("เตือน: ส่งแบบให้คะแนนผลงาน {entry_reference} ภายใน {due_date}"),
        body=gettext_lazy(
            "เรียน {recipient_name}\n\n"
            "แบบให้คะแนนรอบ{round} ของผลงาน {entry_reference} {entry_title} ยังไม่ได้ส่ง\n"
            "กำหนดส่ง: {due_date}\n\n{admin_url}\n\nสำนักงาน ก.พ.ร.\n"
        ),
        placeholders=ASSIGNMENT_PLACEHOLDERS,
        values=assigned_values,
        sample=latest(Assignment),
        days_before=(7, 1),
    )
)

register(
    NotificationKind(
        code="score_sheet_overdue",
        order=26,
        label=gettext_lazy("แบบให้คะแนนเลยกำหนดส่ง"),
        audience=gettext_lazy("ผู้ตรวจประเมินที่ยังไม่ส่งแบบให้คะแนนเมื่อเลยกำหนด (ครั้งเดียว)"),
        subject=gettext_lazy("แบบให้คะแนนผลงาน {entry_reference} เลยกำหนดส่งแล้ว"),
        body=gettext_lazy(
            "เรียน {recipient_name}\n\n"
            "แบบให้คะแนนรอบ{round} ของผลงาน {entry_reference} {entry_title} "
            "เลยกำหนดส่ง ({due_date}) แล้ว โปรดส่งโดยเร็ว\n\n{admin_url}\n\nสำนักงาน ก.พ.ร.\n"
        ),
        placeholders=ASSIGNMENT_PLACEHOLDERS,
        values=assigned_values,
        sample=latest(Assignment),
    )
)


def unsubmitted_assignments():
    return (
        Assignment.objects.filter(Q(sheet__isnull=True) | Q(sheet__state=ScoreSheet.State.DRAFT))
        .exclude(entry__state__in=[EntryState.WITHDRAWN, EntryState.DRAFT])
        .exclude(entry__category__cycle__results_published_at__isnull=False)
        .select_related("entry__category__cycle", "entry__agency", "assessor")
    )


def remind_score_sheets(today: datetime.date, days: tuple[int, ...]) -> int:
    """Each unsubmitted sheet: the reminder due today by the schedule, or once overdue."""
    from portal.notifications.sending import reminder_due

    count = 0
    for assignment in unsubmitted_assignments():
        due = sheet_due_on(assignment)
        if due is None:
            continue
        days_left = (due - today).days
        recipient = [Recipient.of_user(assignment.assessor)]
        if days_left < 0:
            count += len(
                notify("score_sheet_overdue", assignment, recipient, occasion=due.isoformat())
            )
            continue
        step = reminder_due(days_left, days)
        if step is not None:
            occasion = f"{due.isoformat()}:{step}"
            count += len(notify("score_sheet_due", assignment, recipient, occasion=occasion))
    return count


# --- Entry reopened -----------------------------------------------------------------------------


def reopened_values(entry: Entry, recipient) -> dict[str, str]:
    change = entry.state_changes.filter(to_state=EntryState.DRAFT).order_by("-changed_at").first()
    return {
        **entry_values(entry),
        "reason": change.note if change else "",
        "until": format_date(entry.reopened_until, with_time=True),
    }


register(
    NotificationKind(
        code="entry_reopened",
        order=30,
        label=gettext_lazy("เปิดผลงานให้แก้ไข"),
        audience=gettext_lazy("เจ้าหน้าที่ของหน่วยงานและผู้ประสานงานของผลงาน"),
        subject=gettext_lazy("ผลงาน {entry_reference} เปิดให้แก้ไขถึง {until}"),
        body=gettext_lazy(
            "เรียน {agency}\n\n"
            "สำนักงาน ก.พ.ร. เปิดผลงาน {entry_reference} {entry_title} ให้แก้ไข\n\n"
            "เหตุผล/สิ่งที่ขอให้ชี้แจง: {reason}\n"
            "แก้ไขและส่งอีกครั้งได้ถึง: {until}\n\n"
            "ผลงานกลับเป็นฉบับร่าง โปรดแก้ไขแล้วกดส่งอีกครั้งภายในกำหนด:\n{entry_url}\n\n"
            "สำนักงาน ก.พ.ร.\n"
        ),
        placeholders={
            **ENTRY_PLACEHOLDERS,
            "reason": gettext_lazy("เหตุผลที่เปิดให้แก้ไข"),
            "until": gettext_lazy("แก้ไขได้ถึง"),
        },
        values=reopened_values,
        sample=latest(Entry, reopened_until__isnull=False),
    )
)


def entry_reopened(entry: Entry, change) -> None:
    notify(
        "entry_reopened",
        entry,
        agency_recipients(entry),
        occasion=f"reopen:{change.pk}",
        link=reverse("awards:entry", kwargs={"public_id": entry.public_id}),
    )


# --- Shortlisted --------------------------------------------------------------------------------

register(
    NotificationKind(
        code="entry_shortlisted",
        order=40,
        label=gettext_lazy("ผ่านเข้ารอบลงพื้นที่"),
        audience=gettext_lazy("เจ้าหน้าที่ของหน่วยงานและผู้ประสานงานของผลงาน"),
        subject=gettext_lazy("ผลงาน {entry_reference} ผ่านเข้ารอบลงพื้นที่ตรวจประเมิน"),
        body=gettext_lazy(
            "เรียน {agency}\n\n"
            "ผลงาน {entry_reference} {entry_title} ผ่านการกลั่นกรองเอกสาร "
            "และเข้ารอบลงพื้นที่ตรวจประเมิน\n"
            "สำนักงาน ก.พ.ร. จะแจ้งวัน เวลา และสถานที่ลงพื้นที่ให้ทราบต่อไป\n\n{entry_url}\n\n"
            "สำนักงาน ก.พ.ร.\n"
        ),
        placeholders=ENTRY_PLACEHOLDERS,
        values=entry_values,
        sample=latest(Entry, state=EntryState.SHORTLISTED),
    )
)


def entry_shortlisted(entry: Entry) -> None:
    notify(
        "entry_shortlisted",
        entry,
        agency_recipients(entry),
        link=reverse("awards:entry", kwargs={"public_id": entry.public_id}),
    )


# --- Site visit scheduled / changed (with an .ics) ----------------------------------------------

# How long a visit is put in the calendar for: a half day, the usual length of a visit.
SITE_VISIT_LENGTH = datetime.timedelta(hours=3)


def visit_place(visit: SiteVisit) -> str:
    if visit.is_online:
        return _("ออนไลน์") + (f" {visit.place}" if visit.place else "")
    return visit.place


def visit_people(visit: SiteVisit) -> list:
    """The panel's chair and members who may assess this entry (a conflicted one is never
    assigned, so is not invited)."""
    from . import permissions

    panel = visit.panel
    people = {panel.chair_id: panel.chair}
    for member in panel.members.filter(is_active=True):
        people.setdefault(member.pk, member)
    entry = visit.entry
    return [
        person
        for person in people.values()
        if person.agency_id != entry.agency_id and not permissions.is_conflicted(person, entry)
    ]


def visit_values(visit: SiteVisit, recipient) -> dict[str, str]:
    return {
        **entry_values(visit.entry),
        "visit_date": format_date(visit.scheduled_at, with_time=True),
        "visit_place": visit_place(visit),
        "panel": visit.panel.name,
        "panel_members": ", ".join(str(person) for person in visit_people(visit)),
    }


def visit_calendar(visit: SiteVisit, sequence: int) -> dict:
    """The visit as an iCalendar event (RFC 5545), one UID per visit: a change (a higher
    SEQUENCE) moves the event already in the recipient's calendar."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//OPDC//lertrat-portal//TH")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"site-visit-{visit.pk}@lertrat.opdc.go.th")
    event.add("sequence", sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", visit.scheduled_at)
    event.add("dtend", visit.scheduled_at + SITE_VISIT_LENGTH)
    event.add(
        "summary",
        _("ลงพื้นที่ตรวจประเมินรางวัลเลิศรัฐ: %(reference)s %(title)s")
        % {"reference": visit.entry.reference, "title": visit.entry.title},
    )
    event.add("location", visit_place(visit))
    event.add("description", _("คณะ: %(panel)s") % {"panel": visit.panel.name})
    calendar.add_component(event)
    return {
        "filename": f"site-visit-{visit.entry.reference or visit.pk}.ics",
        "content_type": "text/calendar",
        "content": calendar.to_ical().decode(),
    }


VISIT_PLACEHOLDERS = {
    **ENTRY_PLACEHOLDERS,
    "visit_date": gettext_lazy("วันและเวลาลงพื้นที่"),
    "visit_place": gettext_lazy("สถานที่หรือช่องทางออนไลน์"),
    "panel": gettext_lazy("ชื่อคณะผู้ตรวจประเมิน"),
    "panel_members": gettext_lazy("รายชื่อคณะผู้ตรวจประเมิน"),
}

register(
    NotificationKind(
        code="site_visit_scheduled",
        order=50,
        label=gettext_lazy("นัดลงพื้นที่ตรวจประเมิน"),
        audience=gettext_lazy("หน่วยงานเจ้าของผลงาน ผู้ประสานงาน และคณะผู้ตรวจประเมิน (แนบไฟล์ปฏิทิน .ics)"),
        subject=gettext_lazy("นัดลงพื้นที่ตรวจประเมินผลงาน {entry_reference} วันที่ {visit_date}"),
        body=gettext_lazy(
            "เรียน {recipient_name}\n\n"
            "สำนักงาน ก.พ.ร. นัดลงพื้นที่ตรวจประเมินผลงาน {entry_reference} {entry_title} "
            "({agency})\n\n"
            "วันและเวลา: {visit_date}\n"
            "สถานที่: {visit_place}\n"
            "คณะผู้ตรวจประเมิน: {panel} ({panel_members})\n\n"
            "ไฟล์ปฏิทิน (.ics) แนบมาพร้อมนี้\n\nสำนักงาน ก.พ.ร.\n"
        ),
        placeholders=VISIT_PLACEHOLDERS,
        values=visit_values,
        sample=latest(SiteVisit),
    )
)

register(
    NotificationKind(
        code="site_visit_changed",
        order=51,
        label=gettext_lazy("เปลี่ยนนัดลงพื้นที่ตรวจประเมิน"),
        audience=gettext_lazy("หน่วยงานเจ้าของผลงาน ผู้ประสานงาน และคณะผู้ตรวจประเมิน (แนบไฟล์ปฏิทิน .ics)"),
        subject=gettext_lazy("เปลี่ยนนัดลงพื้นที่ผลงาน {entry_reference} เป็นวันที่ {visit_date}"),
        body=gettext_lazy(
            "เรียน {recipient_name}\n\n"
            "นัดลงพื้นที่ตรวจประเมินผลงาน {entry_reference} {entry_title} ({agency}) "
            "เปลี่ยนเป็น\n\n"
            "วันและเวลา: {visit_date}\n"
            "สถานที่: {visit_place}\n"
            "คณะผู้ตรวจประเมิน: {panel} ({panel_members})\n\n"
            "ไฟล์ปฏิทิน (.ics) ที่แนบมาจะปรับนัดเดิมในปฏิทินของท่าน\n\nสำนักงาน ก.พ.ร.\n"
        ),
        placeholders=VISIT_PLACEHOLDERS,
        values=visit_values,
        sample=latest(SiteVisit),
    )
)


def _visit_key(visit: SiteVisit) -> tuple:
    return (visit.scheduled_at, visit.place, visit.is_online)


def _remember_visit(sender, instance, **kwargs):
    instance._scheduled_as = _visit_key(instance) if instance.pk else None


def _visit_saved(sender, instance, created, raw=False, **kwargs):
    """A visit made, or moved (date, place, online): its panel and agency are told, whichever
    door changed it (the scheduling function, the admin)."""
    if raw:
        return
    before = getattr(instance, "_scheduled_as", None)
    if not created and before == _visit_key(instance):
        return
    instance._scheduled_as = _visit_key(instance)
    visit = SiteVisit.objects.select_related(
        "entry__agency", "entry__category__cycle", "panel__chair"
    ).get(pk=instance.pk)
    # The calendar's SEQUENCE: how many times the invited were told of this visit before.
    told = Notification.objects.filter(
        content_type=ContentType.objects.get_for_model(SiteVisit),
        object_id=visit.pk,
        kind__in=["site_visit_scheduled", "site_visit_changed"],
    )
    sequence = told.values("occasion").distinct().count()
    recipients = [*map(Recipient.of_user, visit_people(visit)), *agency_recipients(visit.entry)]
    notify(
        "site_visit_scheduled" if created else "site_visit_changed",
        visit,
        recipients,
        occasion=visit.scheduled_at.isoformat()
        + ("|online" if visit.is_online else "|")
        + visit.place[:40],
        attachments=lambda recipient: [visit_calendar(visit, sequence)],
    )


post_init.connect(_remember_visit, sender=SiteVisit, dispatch_uid="awards.notices.visit_init")
post_save.connect(_visit_saved, sender=SiteVisit, dispatch_uid="awards.notices.visit_saved")


# --- Result announced ---------------------------------------------------------------------------


def result_values(result: Result, recipient) -> dict[str, str]:
    return {
        **entry_values(result.entry),
        "award_level": levels.label_of(result),
        "results_url": absolute(
            reverse("cases:cycle_results", kwargs={"year": result.entry.category.cycle.year_be})
        ),
    }


register(
    NotificationKind(
        code="result_announced",
        order=60,
        label=gettext_lazy("ประกาศผลรางวัล"),
        audience=gettext_lazy(
            "เจ้าหน้าที่ของหน่วยงานและผู้ประสานงานของทุกผลงานที่มีผลการตัดสิน เมื่อประกาศผลแล้วเท่านั้น"
        ),
        subject=gettext_lazy("ประกาศผลรางวัลเลิศรัฐ พ.ศ. {cycle_year}: ผลงาน {entry_reference}"),
        body=gettext_lazy(
            "เรียน {agency}\n\n"
            "สำนักงาน ก.พ.ร. ประกาศผลรางวัลเลิศรัฐ ประจำปี พ.ศ. {cycle_year} แล้ว\n\n"
            "ผลงาน: {entry_reference} {entry_title}\n"
            "ประเภทรางวัล: {category}\n"
            "ผลการตัดสิน: {award_level}\n\n"
            "ผลรางวัลทั้งหมด: {results_url}\n"
            "ติดตามผลงานของท่าน: {entry_url}\n\nสำนักงาน ก.พ.ร.\n"
        ),
        placeholders={
            **ENTRY_PLACEHOLDERS,
            "award_level": gettext_lazy("ผลการตัดสิน (ระดับรางวัล)"),
            "results_url": gettext_lazy("ลิงก์หน้าผลรางวัลของปี"),
        },
        values=result_values,
        sample=latest(Result, entry__category__cycle__results_published_at__isnull=False),
    )
)


def results_announced(cycle: Cycle) -> int:
    """Every decided entry of an announced cycle is told its result. Nothing for a cycle not
    announced: a result is never told before it is public."""
    if cycle.results_published_at is None:
        return 0
    count = 0
    results = Result.objects.filter(entry__category__cycle=cycle).select_related(
        "entry__agency", "entry__category__cycle"
    )
    for result in results:
        count += len(
            notify(
                "result_announced",
                result,
                agency_recipients(result.entry),
                link=reverse("awards:entry", kwargs={"public_id": result.entry.public_id}),
            )
        )
    return count


# --- Entry deadline approaching (drafts; reminders) ---------------------------------------------


def deadline_values(entry: Entry, recipient) -> dict[str, str]:
    close = entry.category.cycle.applications_close_at
    until = entry.reopened_until if entry.reopened_until and entry.reopened_until > close else close
    return {
        **entry_values(entry),
        "deadline": format_date(until, with_time=True),
        "days_left": str(max((timezone.localdate(until) - timezone.localdate()).days, 0)),
    }


register(
    NotificationKind(
        code="deadline_approaching",
        order=5,
        label=gettext_lazy("เตือนใกล้ปิดรับสมัคร (ฉบับร่าง)"),
        audience=gettext_lazy("เจ้าหน้าที่ของหน่วยงานที่มีผลงานฉบับร่างยังไม่ส่ง ตามจำนวนวันก่อนปิดรับสมัคร"),
        subject=gettext_lazy("อีก {days_left} วันปิดรับสมัคร: ผลงาน “{entry_title}” ยังไม่ได้ส่ง"),
        body=gettext_lazy(
            "เรียน {agency}\n\n"
            "ผลงาน “{entry_title}” ประเภท{category} ยังเป็นฉบับร่าง และยังไม่ได้ส่ง\n"
            "ปิดรับสมัคร: {deadline} (อีก {days_left} วัน)\n\n"
            "กรอกให้ครบและส่งได้ที่:\n{entry_url}\n\nสำนักงาน ก.พ.ร.\n"
        ),
        placeholders={
            **ENTRY_PLACEHOLDERS,
            "deadline": gettext_lazy("วันเวลาปิดรับสมัคร"),
            "days_left": gettext_lazy("จำนวนวันที่เหลือ"),
        },
        values=deadline_values,
        sample=latest(Entry, state=EntryState.DRAFT),
        days_before=(14, 7, 1),
    )
)


def remind_drafts(today: datetime.date, days: tuple[int, ...], deadline_of) -> int:
    """Each draft still open for changes gets the reminder its schedule has due today, once
    (the occasion is the deadline's date and the step)."""
    from portal.notifications.sending import reminder_due

    now = timezone.now()
    drafts = (
        Entry.objects.filter(state=EntryState.DRAFT)
        .filter(Q(category__cycle__applications_close_at__gt=now) | Q(reopened_until__gt=now))
        .select_related("category__cycle", "agency", "created_by")
    )
    count = 0
    for entry in drafts:
        deadline = timezone.localdate(deadline_of(entry))
        step = reminder_due((deadline - today).days, days)
        if step is None:
            continue
        count += len(
            notify(
                "deadline_approaching",
                entry,
                agency_recipients(entry, entry.created_by),
                occasion=f"{deadline.isoformat()}:{step}",
                link=reverse("awards:entry", kwargs={"public_id": entry.public_id}),
            )
        )
    return count


# --- The secretariat's daily digest of what is late ---------------------------------------------


def late_items(cycle: Cycle, today: datetime.date) -> list[str]:
    """What in a cycle is past its date: unsubmitted sheets past due, visits past their day
    without the chair's consolidation, open clarification questions past their due date."""
    lines = []
    for assignment in unsubmitted_assignments().filter(entry__category__cycle=cycle):
        due = sheet_due_on(assignment)
        if due is not None and due < today:
            lines.append(
                _("แบบให้คะแนน %(round)s ของ %(assessor)s ผลงาน %(reference)s เลยกำหนด %(due)s")
                % {
                    "round": AssessmentRound(assignment.round).label,
                    "assessor": assignment.assessor,
                    "reference": assignment.entry.reference,
                    "due": format_date(due),
                }
            )
    visits = SiteVisit.objects.filter(
        entry__category__cycle=cycle,
        scheduled_at__date__lt=today,
        consolidated_at__isnull=True,
        entry__state=EntryState.SHORTLISTED,
    ).select_related("entry", "panel")
    for visit in visits:
        lines.append(
            _("ลงพื้นที่ผลงาน %(reference)s เมื่อ %(date)s แล้ว แต่ประธานคณะ %(panel)s ยังไม่สรุปผล")
            % {
                "reference": visit.entry.reference,
                "date": format_date(visit.scheduled_at),
                "panel": visit.panel.name,
            }
        )
    questions = Clarification.objects.filter(
        entry__category__cycle=cycle,
        answered_at__isnull=True,
        due_at__date__lt=today,
    ).select_related("entry")
    for question in questions:
        lines.append(
            _("คำถามขอคำชี้แจงผลงาน %(reference)s ยังไม่ได้ตอบ เลยกำหนด %(due)s")
            % {"reference": question.entry.reference, "due": format_date(question.due_at)}
        )
    return lines


def digest_values(digest: Cycle, recipient) -> dict[str, str]:
    today = timezone.localdate()
    items = late_items(digest, today)
    return {
        "cycle_year": str(digest.year_be),
        "date": format_date(today),
        "late_count": str(len(items)),
        "late_items": "\n".join(f"- {line}" for line in items) or _("ไม่มีรายการล่าช้า"),
        "admin_url": absolute(reverse("admin:index")),
    }


register(
    NotificationKind(
        code="staff_digest",
        order=90,
        label=gettext_lazy("สรุปรายการล่าช้าประจำวัน (เจ้าหน้าที่)"),
        audience=gettext_lazy("เจ้าหน้าที่ สำนักงาน ก.พ.ร. ทุกวัน เมื่อมีรายการล่าช้า"),
        subject=gettext_lazy(
            "รายการล่าช้า {late_count} รายการ รางวัลเลิศรัฐ พ.ศ. {cycle_year} ({date})"
        ),
        body=gettext_lazy(
            "เรียน {recipient_name}\n\n"
            "รายการที่เลยกำหนดของรางวัลเลิศรัฐ พ.ศ. {cycle_year} ณ วันที่ {date}:\n\n"
            "{late_items}\n\nระบบบริหารจัดการ: {admin_url}\n"
        ),
        placeholders={
            "cycle_year": gettext_lazy("ปีรางวัล (พ.ศ.)"),
            "date": gettext_lazy("วันที่ของสรุป"),
            "late_count": gettext_lazy("จำนวนรายการล่าช้า"),
            "late_items": gettext_lazy("รายการล่าช้า ทีละบรรทัด"),
            "admin_url": gettext_lazy("ลิงก์ระบบบริหารจัดการ"),
        },
        values=digest_values,
        sample=lambda: Cycle.objects.order_by("-year_be").first(),
    )
)


def send_staff_digest(today: datetime.date) -> int:
    """One digest per cycle with something late, to every secretariat member, once a day."""
    count = 0
    for cycle in Cycle.objects.filter(results_published_at__isnull=True):
        if late_items(cycle, today):
            count += len(
                notify(
                    "staff_digest",
                    cycle,
                    secretariat_recipients(),
                    occasion=today.isoformat(),
                    link=reverse("admin:index"),
                )
            )
    return count


# --- Clarification round ------------------------------------------------------------------------


def clarification_values(clarification, recipient) -> dict[str, str]:
    return {
        **entry_values(clarification.entry),
        "question": clarification.question,
        "due_date": format_date(clarification.due_at, with_time=True),
        "answer": clarification.answer,
        "clarification_url": absolute(clarification_path(clarification)),
    }


def clarification_path(clarification) -> str:
    return reverse(
        "awards:clarification",
        kwargs={"public_id": clarification.entry.public_id, "pk": clarification.pk},
    )


CLARIFICATION_PLACEHOLDERS = {
    **ENTRY_PLACEHOLDERS,
    "question": gettext_lazy("คำถาม"),
    "due_date": gettext_lazy("ตอบภายใน"),
    "answer": gettext_lazy("คำชี้แจงของหน่วยงาน"),
    "clarification_url": gettext_lazy("ลิงก์หน้าตอบคำถาม"),
}


register(
    NotificationKind(
        code="clarification_requested",
        order=32,
        label=gettext_lazy("ขอคำชี้แจง"),
        audience=gettext_lazy("เจ้าหน้าที่ของหน่วยงานและผู้ประสานงานของผลงาน"),
        subject=gettext_lazy("ขอคำชี้แจงผลงาน {entry_reference} ภายใน {due_date}"),
        body=gettext_lazy(
            "เรียน {agency}\n\n"
            "สำนักงาน ก.พ.ร. ขอคำชี้แจงเกี่ยวกับผลงาน {entry_reference} {entry_title}\n\n"
            "คำถาม: {question}\n"
            "โปรดตอบภายใน: {due_date}\n\n"
            "ตอบ (พิมพ์คำชี้แจงและแนบไฟล์ได้) ที่:\n{clarification_url}\n"
            "ผลงานยังอยู่ในขั้นตอนการประเมินตามเดิม ไม่ต้องส่งผลงานใหม่\n\nสำนักงาน ก.พ.ร.\n"
        ),
        placeholders=CLARIFICATION_PLACEHOLDERS,
        values=clarification_values,
        sample=latest(Clarification),
    )
)

register(
    NotificationKind(
        code="clarification_answered",
        order=33,
        label=gettext_lazy("หน่วยงานตอบคำชี้แจงแล้ว"),
        audience=gettext_lazy("ผู้ถาม (เจ้าหน้าที่หรือประธานคณะ)"),
        subject=gettext_lazy("หน่วยงานตอบคำชี้แจงผลงาน {entry_reference} แล้ว"),
        body=gettext_lazy(
            "เรียน {recipient_name}\n\n"
            "{agency} ตอบคำถามเกี่ยวกับผลงาน {entry_reference} {entry_title} แล้ว\n\n"
            "คำถาม: {question}\n"
            "คำชี้แจง: {answer}\n\n"
            "คำชี้แจงและไฟล์แนบอยู่ในแบบให้คะแนนและเอกสารผลงาน\n"
        ),
        placeholders=CLARIFICATION_PLACEHOLDERS,
        values=clarification_values,
        sample=latest(Clarification),
    )
)


def clarification_requested(clarification) -> None:
    notify(
        "clarification_requested",
        clarification,
        agency_recipients(clarification.entry),
        link=clarification_path(clarification),
    )


def clarification_answered(clarification) -> None:
    notify(
        "clarification_answered",
        clarification,
        [Recipient.of_user(clarification.asked_by)],
        link=reverse("admin:awards_clarification_change", args=[clarification.pk]),
    )


# --- Feedback released --------------------------------------------------------------------------

register(
    NotificationKind(
        code="feedback_released",
        order=70,
        label=gettext_lazy("ข้อเสนอแนะถึงหน่วยงาน"),
        audience=gettext_lazy(
            "เจ้าหน้าที่ของหน่วยงานและผู้ประสานงาน เมื่อเจ้าหน้าที่เผยแพร่ข้อเสนอแนะของประเภทรางวัล"
        ),
        subject=gettext_lazy("ข้อเสนอแนะจากการประเมินผลงาน {entry_reference}"),
        body=gettext_lazy(
            "เรียน {agency}\n\n"
            "ข้อเสนอแนะจากการประเมินผลงาน {entry_reference} {entry_title} "
            "(จุดแข็งและโอกาสในการปรับปรุงรายเกณฑ์) พร้อมให้อ่านแล้วที่:\n{entry_url}\n\n"
            "สำนักงาน ก.พ.ร.\n"
        ),
        placeholders=ENTRY_PLACEHOLDERS,
        values=lambda feedback, recipient: entry_values(feedback.entry),
        sample=lambda: Feedback.objects.filter(released_at__isnull=False).order_by("-pk").first(),
    )
)


def feedback_released(feedback) -> None:
    notify(
        "feedback_released",
        feedback,
        agency_recipients(feedback.entry),
        link=reverse("awards:entry", kwargs={"public_id": feedback.entry.public_id}),
    )


# --- Letters staff write to a selection of entries (awards/letters.py) ---------------------------

# The placeholders that tell a result: a letter using one goes only to entries of announced cycles.
RESULT_PLACEHOLDERS = {
    "award_level": gettext_lazy("ผลการตัดสิน (ระดับรางวัล) — เฉพาะปีรางวัลที่ประกาศผลแล้ว"),
    "results_url": gettext_lazy("ลิงก์หน้าผลรางวัลของปี — เฉพาะปีรางวัลที่ประกาศผลแล้ว"),
}


def letter_values(entry: Entry, recipient) -> dict[str, str]:
    result = Result.objects.filter(entry=entry).first()
    return {
        **entry_values(entry),
        "award_level": levels.label_of(result) if result else not_set(),
        "results_url": absolute(
            reverse("cases:cycle_results", kwargs={"year": entry.category.cycle.year_be})
        ),
    }


LETTER = register(
    NotificationKind(
        code="letter",
        order=90,
        label=gettext_lazy("จดหมายถึงหน่วยงาน"),
        audience=gettext_lazy(
            "เจ้าหน้าที่ของหน่วยงานและผู้ประสานงานของผลงานที่เจ้าหน้าที่เลือก "
            "(ข้อความเขียนทีละฉบับ แม่แบบนี้เป็นข้อความตั้งต้น)"
        ),
        subject=gettext_lazy("แจ้งจากสำนักงาน ก.พ.ร.: ผลงาน {entry_reference}"),
        body=gettext_lazy(
            "เรียน {agency}\n\n"
            "เรื่อง ผลงาน {entry_reference} {entry_title}\n"
            "ประเภทรางวัล: {category} ปีรางวัล พ.ศ. {cycle_year}\n\n"
            "\n\n"
            "ติดตามผลงานของท่าน: {entry_url}\n\nสำนักงาน ก.พ.ร.\n"
        ),
        placeholders={**ENTRY_PLACEHOLDERS, **RESULT_PLACEHOLDERS},
        values=letter_values,
        sample=latest(Entry, submitted_at__isnull=False),
    )
)
