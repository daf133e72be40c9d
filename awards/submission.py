"""Rules of an entry's life: its sections, saving them, submitting, withdrawing, reopening,
moving between states.

The web forms, the admin and the API all call these functions, so an entry cannot be
submitted after the deadline (or changed without a trace) whichever door it comes through.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.thai import format_date

from . import eligibility
from .models import Category, Cycle, Entry, EntryState, EntryStateChange

REFERENCE_PREFIX = "LR"


class SubmissionError(Exception):
    """A rule of the award refused the action; the message is for the user (Thai)."""


class IncompleteEntry(SubmissionError):
    """Submission refused because sections are not complete; `sections` says which."""

    def __init__(self, message, sections):
        super().__init__(message)
        self.sections = sections


class NotEligible(SubmissionError):
    """The category's eligibility refused the agency; `reasons` says why (awards/eligibility.py)."""

    def __init__(self, reasons):
        super().__init__(" ".join(reasons))
        self.reasons = reasons


class NoSuchEntry(SubmissionError):
    """The start form's token names an entry this agency can't see: answered as a 404, the
    same as an entry that does not exist, so it confirms nothing about other agencies."""


# Which state may follow which; anything else is refused.
TRANSITIONS: dict[str, set[str]] = {
    EntryState.DRAFT: {EntryState.SUBMITTED},
    EntryState.SUBMITTED: {EntryState.SCREENING, EntryState.WITHDRAWN, EntryState.DRAFT},
    EntryState.SCREENING: {EntryState.SHORTLISTED, EntryState.NOT_AWARDED, EntryState.DRAFT},
    EntryState.SHORTLISTED: {EntryState.SITE_VISITED, EntryState.NOT_AWARDED},
    EntryState.SITE_VISITED: {EntryState.AWARDED, EntryState.NOT_AWARDED},
    EntryState.AWARDED: set(),
    EntryState.NOT_AWARDED: set(),
    EntryState.WITHDRAWN: set(),
}


def change_state(entry: Entry, to_state: str, by, note: str = "", at=None) -> EntryStateChange:
    """Move an entry to another state and record who did it, when, from and to."""
    if to_state not in TRANSITIONS[entry.state]:
        raise SubmissionError(
            _("ไม่สามารถเปลี่ยนสถานะจาก “%(from)s” เป็น “%(to)s” ได้")
            % {"from": EntryState(entry.state).label, "to": EntryState(to_state).label}
        )
    at = at or timezone.now()
    change = EntryStateChange.objects.create(
        entry=entry,
        from_state=entry.state,
        to_state=to_state,
        changed_by=by,
        changed_at=at,
        note=note,
    )
    entry.state = to_state
    entry.save(update_fields=["state", "updated_at"])
    return change


def allocate_reference(cycle: Cycle) -> str:
    """The next reference number of a cycle, e.g. LR-2568-000123. Called inside the
    submitting transaction, which holds a lock on the cycle row, so two submissions
    never get the same number."""
    prefix = f"{REFERENCE_PREFIX}-{cycle.year_be}-"
    last = (
        Entry.objects.filter(reference__startswith=prefix)
        .aggregate(last=Max("reference"))
        .get("last")
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:06d}"


@transaction.atomic
def mark_submitted(entry: Entry, by, at=None) -> Entry:
    """Record the submission of an entry (reference number, time, who) and its state change.

    Only the state change itself: deadline and completeness are checked by the callers'
    rule (`submit`), which is built on top of this."""
    at = at or timezone.now()
    cycle = Cycle.objects.select_for_update().get(pk=entry.category.cycle_id)
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.reference is None:
        entry.reference = allocate_reference(cycle)
    entry.submitted_at = at
    entry.submitted_by = by
    entry.save(update_fields=["reference", "submitted_at", "submitted_by", "updated_at"])
    change_state(entry, EntryState.SUBMITTED, by, at=at)
    return entry


# --- Sections ---

# Length limits of the entry's text, in characters: forms, the admin and the API read these.
LIMITS = {
    "title": 300,
    "summary": 1500,
    "problem": 5000,
    "solution": 8000,
    "results": 5000,
    "indicators": 3000,
    "partners": 3000,
    "contact_name": 200,
    "contact_position": 200,
    "contact_phone": 50,
}


class SectionStatus:
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"

    LABELS = {
        NOT_STARTED: gettext_lazy("ยังไม่เริ่ม"),
        IN_PROGRESS: gettext_lazy("กำลังดำเนินการ"),
        COMPLETED: gettext_lazy("เสร็จแล้ว"),
    }


@dataclass(frozen=True)
class Section:
    key: str
    title: Promise
    fields: tuple[str, ...]
    required: tuple[str, ...]


SECTIONS: tuple[Section, ...] = (
    Section("basic", gettext_lazy("ข้อมูลพื้นฐานของผลงาน"), ("title", "summary"), ("title", "summary")),
    Section("problem", gettext_lazy("สภาพปัญหาและความเป็นมา"), ("problem",), ("problem",)),
    Section(
        "solution", gettext_lazy("แนวทางและการดำเนินการ"), ("solution", "started_on"), ("solution",)
    ),
    Section(
        "results",
        gettext_lazy("ผลลัพธ์และตัวชี้วัด"),
        ("results", "indicators"),
        ("results", "indicators"),
    ),
    Section("partners", gettext_lazy("ภาคีเครือข่ายและผู้มีส่วนได้ส่วนเสีย"), ("partners",), ("partners",)),
    Section("sdgs", gettext_lazy("เป้าหมายการพัฒนาที่ยั่งยืน (SDGs)"), ("sdgs",), ("sdgs",)),
    Section("attachments", gettext_lazy("เอกสารแนบ"), ("attachments",), ("attachments",)),
    Section(
        "contact",
        gettext_lazy("ผู้ประสานงาน"),
        ("contact_name", "contact_position", "contact_email", "contact_phone"),
        ("contact_name", "contact_email", "contact_phone"),
    ),
)
SECTIONS_BY_KEY = {section.key: section for section in SECTIONS}


def _has_value(entry: Entry, name: str) -> bool:
    if name == "sdgs":
        return entry.sdgs.exists()
    if name == "attachments":
        return entry.attachments.exists()
    value = getattr(entry, name)
    return bool(value.strip()) if isinstance(value, str) else value is not None


def section_status(entry: Entry, section: Section) -> str:
    filled = {name for name in section.fields if _has_value(entry, name)}
    if not filled:
        return SectionStatus.NOT_STARTED
    if all(name in filled for name in section.required):
        return SectionStatus.COMPLETED
    return SectionStatus.IN_PROGRESS


def section_statuses(entry: Entry) -> list[tuple[Section, str]]:
    return [(section, section_status(entry, section)) for section in SECTIONS]


def incomplete_sections(entry: Entry) -> list[Section]:
    return [s for s, status in section_statuses(entry) if status != SectionStatus.COMPLETED]


def next_section(key: str) -> Section | None:
    keys = [section.key for section in SECTIONS]
    index = keys.index(key)
    return SECTIONS[index + 1] if index + 1 < len(SECTIONS) else None


# --- Deadlines and editing ---


def deadline(entry: Entry) -> datetime.datetime:
    """The moment this entry stops accepting changes: the cycle's closing time, or later if
    staff reopened it until a given time."""
    close = entry.category.cycle.applications_close_at
    if entry.reopened_until and entry.reopened_until > close:
        return entry.reopened_until
    return close


def editing_refusal(entry: Entry, at=None) -> str | None:
    """Why this entry cannot be changed now (a Thai message), or None if it can."""
    at = at or timezone.now()
    cycle = entry.category.cycle
    if entry.state != EntryState.DRAFT:
        return _(
            "ผลงานนี้อยู่ในสถานะ “%(state)s” จึงแก้ไขไม่ได้ "
            "หากจำเป็นต้องแก้ไข โปรดติดต่อสำนักงาน ก.พ.ร. เพื่อขอเปิดให้แก้ไข"
        ) % {"state": EntryState(entry.state).label}
    if at < cycle.applications_open_at:
        return _("ยังไม่เปิดรับสมัคร เปิดรับเมื่อ %(date)s") % {
            "date": format_date(cycle.applications_open_at, with_time=True)
        }
    if at >= deadline(entry):
        return _("ปิดรับสมัครแล้วเมื่อ %(date)s ผลงานฉบับร่างนี้จึงแก้ไขและส่งไม่ได้ (ดูได้อย่างเดียว)") % {
            "date": format_date(deadline(entry), with_time=True)
        }
    return None


def is_editable(entry: Entry, at=None) -> bool:
    return editing_refusal(entry, at) is None


def open_categories(at=None):
    """Categories of cycles that accept entries now."""
    at = at or timezone.now()
    return Category.objects.filter(
        cycle__is_draft=False,
        cycle__applications_open_at__lte=at,
        cycle__applications_close_at__gt=at,
    ).select_related("cycle", "branch")


@transaction.atomic
def create_entry(
    category: Category, agency, by, public_id: uuid.UUID | None = None, answers=None
) -> Entry:
    """Start a draft for an agency in a category of an open cycle that it is eligible for
    (`answers`: {eligibility question id: yes/no}).

    `public_id` comes from the start form: submitting the same form twice returns the same
    entry instead of creating a second one."""
    if agency is None:
        raise SubmissionError(_("บัญชีนี้ยังไม่ได้เป็นสมาชิกของหน่วยงาน จึงสร้างผลงานไม่ได้"))
    if public_id is not None:
        existing = Entry.objects.filter(public_id=public_id).first()
        if existing is not None:
            if existing.agency_id != agency.pk:
                raise NoSuchEntry(_("ไม่พบผลงานนี้"))
            return existing
    cycle = Cycle.objects.select_for_update().get(pk=category.cycle_id)
    if not cycle.is_open_for_entries():
        raise SubmissionError(_("ประเภทรางวัลนี้ไม่ได้เปิดรับสมัครในขณะนี้"))
    reasons = eligibility.refusals(category, agency, answers)
    if reasons:
        raise NotEligible(reasons)
    try:
        with transaction.atomic():
            entry = Entry(
                public_id=public_id or uuid.uuid4(),
                category=category,
                agency=agency,
                created_by=by,
                title="",
            )
            entry._history_user = by
            entry.save()
            eligibility.record_answers(entry, answers, by)
    except IntegrityError:  # the same form posted twice at the same moment
        entry = Entry.objects.get(public_id=public_id, agency=agency)
    return entry


@transaction.atomic
def save_section(entry: Entry, key: str, values: dict, by) -> Entry:
    """Save one section's answers (already cleaned by a form or serializer)."""
    section = SECTIONS_BY_KEY[key]
    locked = (
        Entry.objects.select_for_update(of=("self",))  # the entry row only, not the cycle
        .select_related("category__cycle")
        .get(pk=entry.pk)
    )
    refusal = editing_refusal(locked)
    if refusal:
        raise SubmissionError(refusal)
    scalar = []
    for name in section.fields:
        if name not in values or name == "attachments":
            continue
        value = values[name]
        if name == "sdgs":
            locked.sdgs.set(value)
            continue
        if isinstance(value, str):
            value = value.strip()
            if len(value) > LIMITS.get(name, len(value)):
                raise SubmissionError(
                    _("%(field)s ยาวเกิน %(limit)s ตัวอักษร")
                    % {"field": Entry._meta.get_field(name).verbose_name, "limit": LIMITS[name]}
                )
        setattr(locked, name, value)
        scalar.append(name)
    if scalar:
        locked._history_user = by
        locked.save(update_fields=[*scalar, "updated_at"])
    return locked


# --- Submitting, withdrawing, reopening ---


@transaction.atomic
def submit(entry: Entry, by, clock=timezone.now) -> Entry:
    """Submit an entry: THE rule, whichever door (web form, admin, API) it comes through.

    Locks the cycle and the entry, then reads the clock: a submission that waited for the
    lock past the deadline is refused. Submitting an already submitted entry again (a double
    click, a retried request) returns it unchanged: no second reference or state change."""
    Cycle.objects.select_for_update().get(pk=entry.category.cycle_id)
    locked = (
        Entry.objects.select_for_update(of=("self",))
        .select_related("category__cycle")
        .get(pk=entry.pk)
    )
    if locked.state == EntryState.SUBMITTED:
        return locked
    at = clock()
    refusal = editing_refusal(locked, at)
    if refusal:
        raise SubmissionError(refusal)
    missing = incomplete_sections(locked)
    if missing:
        raise IncompleteEntry(
            _("ยังส่งไม่ได้ เพราะยังกรอกไม่ครบ: %(sections)s")
            % {"sections": ", ".join(str(section.title) for section in missing)},
            missing,
        )
    locked = mark_submitted(locked, by, at=at)
    locked.confirmation_sent_at = None  # a resubmission after a reopen is confirmed again
    locked.save(update_fields=["confirmation_sent_at", "updated_at"])
    from .tasks import send_submission_confirmation

    # After commit; robust: a broker that is down never turns a saved submission into an error
    # (tasks.send_missing_confirmations sends what was not enqueued).
    transaction.on_commit(lambda: send_submission_confirmation.delay(locked.pk), robust=True)
    return locked


def withdrawal_refusal(entry: Entry, at=None) -> str | None:
    today = timezone.localdate(at or timezone.now())
    screening = entry.category.cycle.screening_starts_on
    if entry.state != EntryState.SUBMITTED or (screening and today >= screening):
        return _("ถอนใบสมัครได้เฉพาะผลงานที่ส่งแล้วและยังไม่เริ่มกลั่นกรองเอกสาร")
    return None


@transaction.atomic
def withdraw(entry: Entry, by, note: str = "") -> Entry:
    """The agency withdraws a submitted entry, until screening starts."""
    locked = Entry.objects.select_for_update().select_related("category__cycle").get(pk=entry.pk)
    refusal = withdrawal_refusal(locked)
    if refusal:
        raise SubmissionError(refusal)
    change_state(locked, EntryState.WITHDRAWN, by, note=note)
    return locked


@transaction.atomic
def reopen(entry: Entry, by, until: datetime.datetime, note: str) -> Entry:
    """Staff reopen a submitted entry for changes until a given time; recorded with the
    reason. The reference number is kept; the agency submits again."""
    from .permissions import is_secretariat

    if not is_secretariat(by):
        raise SubmissionError(_("เฉพาะเจ้าหน้าที่ สำนักงาน ก.พ.ร. เปิดผลงานให้แก้ไขได้"))
    if not (note or "").strip():
        raise SubmissionError(_("โปรดระบุเหตุผลที่เปิดให้แก้ไข"))
    if until <= timezone.now():
        raise SubmissionError(_("วันเวลาที่เปิดให้แก้ไขต้องอยู่ในอนาคต"))
    locked = Entry.objects.select_for_update().get(pk=entry.pk)
    change_state(locked, EntryState.DRAFT, by, note=note)
    locked.reopened_until = until
    locked.save(update_fields=["reopened_until", "updated_at"])
    return locked


def next_milestone(entry: Entry) -> tuple[str, object] | None:
    """What the agency is waiting for next, and when (for the dashboard)."""
    cycle = entry.category.cycle
    if entry.state == EntryState.DRAFT:
        return _("ปิดรับสมัคร"), deadline(entry)
    if entry.state == EntryState.SUBMITTED and cycle.screening_starts_on:
        return _("เริ่มกลั่นกรองเอกสาร (ถอนได้ก่อนวันนี้)"), cycle.screening_starts_on
    if entry.state in (EntryState.SCREENING, EntryState.SHORTLISTED) and cycle.site_visits_start_on:
        return _("เริ่มลงพื้นที่ตรวจประเมิน"), cycle.site_visits_start_on
    if entry.state == EntryState.SITE_VISITED and cycle.announcement_on:
        return _("ประกาศผล"), cycle.announcement_on
    return None
