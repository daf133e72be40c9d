"""Rules of an entry's life: its sections, saving them, submitting, withdrawing, reopening,
moving between states.

The web forms, the admin and the API all call these functions, so an entry cannot be
submitted after the deadline (or changed without a trace) whichever door it comes through.
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.thai import format_date

from . import answers, eligibility, entry_forms, notices
from .models import (
    Category,
    Cycle,
    Entry,
    EntryForm,
    EntryState,
    EntryStateChange,
    FormSection,
    Question,
    QuestionKind,
)

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
    if to_state == EntryState.SCREENING:
        refusal = screening_start_refusal(entry, at)
        if refusal:
            raise SubmissionError(refusal)
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
    entry_forms.lock(entry.form, at)  # its version is what this entry answered: never changed
    change_state(entry, EntryState.SUBMITTED, by, at=at)
    return entry


# --- Sections: the entry's form version, as data (models.EntryForm; answers.py) ---


class InvalidAnswers(SubmissionError):
    """Answers a section's questions do not accept: `errors` maps question code (or "title")
    to its Thai message. Nothing of the section is saved."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()))
        self.errors = errors


class SectionStatus:
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"

    LABELS = {
        NOT_STARTED: gettext_lazy("ยังไม่เริ่ม"),
        IN_PROGRESS: gettext_lazy("กำลังดำเนินการ"),
        COMPLETED: gettext_lazy("เสร็จแล้ว"),
    }


def sections(form: EntryForm) -> list[FormSection]:
    """The form's sections in order, each with `question_list`; read once per form object."""
    cached = getattr(form, "_section_list", None)
    if cached is None:
        cached = list(form.sections.order_by("order", "id"))
        questions = form.questions.order_by("order", "id")
        for section in cached:
            section.question_list = [q for q in questions if q.section_id == section.pk]
        form._section_list = cached
    return cached


def section_by_key(entry: Entry, key: str) -> FormSection | None:
    return next((s for s in sections(entry.form) if s.key == key), None)


def asks_title(entry: Entry, section: FormSection) -> bool:
    """Every form asks the entry's title on its first page (Entry.title)."""
    return section is sections(entry.form)[0]


def files_answered(entry: Entry) -> set[str]:
    """The attachments questions the entry has files for (one query per entry object)."""
    cached = getattr(entry, "_files_answered", None)
    if cached is None:
        if "attachments" in getattr(entry, "_prefetched_objects_cache", {}):
            cached = {attachment.question for attachment in entry.attachments.all()}
        else:
            cached = set(entry.attachments.values_list("question", flat=True))
        entry._files_answered = cached
    return cached


def section_status(entry: Entry, section: FormSection) -> str:
    files = files_answered(entry)
    filled = {q.code for q in section.question_list if answers.is_answered(entry, q, files)}
    required = {q.code for q in section.question_list if q.required}
    if asks_title(entry, section):
        required.add("title")
        if entry.title.strip():
            filled.add("title")
    if required <= filled:
        return SectionStatus.COMPLETED
    return SectionStatus.IN_PROGRESS if filled else SectionStatus.NOT_STARTED


def section_statuses(entry: Entry) -> list[tuple[FormSection, str]]:
    return [(section, section_status(entry, section)) for section in sections(entry.form)]


def incomplete_sections(entry: Entry) -> list[FormSection]:
    return [s for s, status in section_statuses(entry) if status != SectionStatus.COMPLETED]


def next_section(entry: Entry, key: str) -> FormSection | None:
    keys = [section.key for section in sections(entry.form)]
    index = keys.index(key)
    return sections(entry.form)[index + 1] if index + 1 < len(keys) else None


def question_by_code(entry: Entry, code: str) -> Question | None:
    return next(
        (q for section in sections(entry.form) for q in section.question_list if q.code == code),
        None,
    )


def answer_sheet(entry: Entry) -> list[dict]:
    """Every section of the entry's form with its status, and each question with the entry's
    answer: `value` as stored (files for an attachments question), `shown` as a reader sees
    it (answers.display). What check your answers, the PDF, the API and the score sheet read;
    the title heads the first section."""
    files: dict[str, list] = {}
    for attachment in entry.attachments.all():
        files.setdefault(attachment.question, []).append(attachment)
    rows = []
    for section, status in section_statuses(entry):
        items = []
        if asks_title(entry, section):
            title = entry.title or None
            items.append(
                {"code": "title", "label": _("ชื่อผลงาน"), "kind": "title", "question": None}
                | {"value": title, "shown": title}
            )
        for question in section.question_list:
            if question.kind == QuestionKind.ATTACHMENTS:
                value = files.get(question.code, [])
                shown = [attachment.original_name for attachment in value] or None
            else:
                value = entry.answers.get(question.code)
                shown = answers.display(question, value)
            items.append(
                {"code": question.code, "label": question.display_label, "kind": question.kind}
                | {"question": question, "value": value, "shown": shown}
            )
        rows.append({"section": section, "status": status, "answers": items})
    return rows


def entry_text(entry: Entry) -> list[tuple[str, str]]:
    """The entry's answers as (question, plain text), in the form's order: the answered ones,
    without the title and the files (shown on their own). What an assessor reads beside the
    score sheet."""
    return [
        (item["label"], answers.as_text(item["question"], item["value"]))
        for row in answer_sheet(entry)
        for item in row["answers"]
        if item["question"] is not None
        and item["kind"] != QuestionKind.ATTACHMENTS
        and item["shown"] is not None
    ]


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
                form=entry_forms.form_for_new_entry(category),
            )
            entry._history_user = by
            entry.save()
            eligibility.record_answers(entry, answers, by)
    except IntegrityError:  # the same form posted twice at the same moment
        entry = Entry.objects.get(public_id=public_id, agency=agency)
    return entry


@transaction.atomic
def save_section(entry: Entry, key: str, values: dict, by) -> Entry:
    """Save one section's answers: `values` maps question code (and "title" on the first
    section) to an answer; a code left out keeps its answer, None or "" clears it. Every
    answer is checked against the entry's form version first (answers.clean): one refused
    answer and nothing is saved (InvalidAnswers, a Thai message per question)."""
    locked = (
        Entry.objects.select_for_update(of=("self",))  # the entry row only, not the cycle
        .select_related("category__cycle", "form")
        .get(pk=entry.pk)
    )
    refusal = editing_refusal(locked)
    if refusal:
        raise SubmissionError(refusal)
    section = section_by_key(locked, key)
    if section is None:
        raise SubmissionError(_("ไม่มีส่วน “%(key)s” ในแบบฟอร์มของผลงานนี้") % {"key": key[:50]})
    questions = {q.code: q for q in section.question_list}
    known = set(questions) | ({"title"} if asks_title(locked, section) else set())
    errors: dict[str, str] = {}
    for code in sorted(set(values) - known):
        errors[code] = _("ส่วนนี้ไม่มีคำถาม “%(code)s”") % {"code": code[:50]}
    cleaned = {}
    for code, value in values.items():
        if code not in known:
            continue
        try:
            if code == "title":
                cleaned[code] = answers.clean_title(value if value is not None else "")
            else:
                cleaned[code] = answers.clean(questions[code], value)
        except ValidationError as error:
            errors[code] = " ".join(error.messages)
    if errors:
        raise InvalidAnswers(errors)
    stored = dict(locked.answers)
    for code, value in cleaned.items():
        if code == "title":
            locked.title = value
        elif value is None:
            stored.pop(code, None)
        else:
            stored[code] = value
    locked.answers = stored
    locked._history_user = by
    locked.save(update_fields=["title", "answers", "updated_at"])
    return locked


@transaction.atomic
def save_answers(entry: Entry, values: dict, by) -> Entry:
    """Answers to any of the form's questions at once (the API), keyed by code ("title" for
    the title): grouped by section and saved with save_section. One refused answer and
    nothing is saved."""
    keys = {q.code: s.key for s in sections(entry.form) for q in s.question_list}
    keys["title"] = sections(entry.form)[0].key
    unknown = {
        code: _("แบบฟอร์มของผลงานนี้ไม่มีคำถาม “%(code)s”") % {"code": str(code)[:50]}
        for code in values
        if code not in keys
    }
    if unknown:
        raise InvalidAnswers(unknown)
    grouped: dict[str, dict] = {}
    for code, value in values.items():
        grouped.setdefault(keys[code], {})[code] = value
    for key, section_values in grouped.items():
        entry = save_section(entry, key, section_values, by)
    return entry


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
        .select_related("category__cycle", "form")
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
    notices.entry_submitted(locked)  # the confirmation: queued now, sent after commit
    return locked


def screening_start_refusal(entry: Entry, at=None) -> str | None:
    """Screening starts no earlier than the date the confirmation told the agency: until then
    it may withdraw (withdrawal_refusal), whatever staff assign or click."""
    screening = entry.category.cycle.screening_starts_on
    if screening and timezone.localdate(at or timezone.now()) < screening:
        return _(
            "เริ่มกลั่นกรองเอกสารได้ตั้งแต่วันที่ %(date)s ตามที่แจ้งหน่วยงานไว้ (หน่วยงานถอนใบสมัครได้จนถึงวันนั้น)"
        ) % {"date": format_date(screening)}
    return None


def start_promised_screening(today: datetime.date) -> int:
    """Every submitted entry of a cycle whose screening date has come enters screening (the
    daily task): the state follows the date the agency was told, not who was assigned."""
    started = 0
    due = Entry.objects.filter(
        state=EntryState.SUBMITTED, category__cycle__screening_starts_on__lte=today
    ).values_list("pk", flat=True)
    for pk in due:
        with transaction.atomic():
            entry = Entry.objects.select_for_update().select_related("category__cycle").get(pk=pk)
            if entry.state == EntryState.SUBMITTED:
                change_state(entry, EntryState.SCREENING, None, note=_("เริ่มกลั่นกรองเอกสารตามกำหนด"))
                started += 1
    return started


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
    change = change_state(locked, EntryState.DRAFT, by, note=note)
    locked.reopened_until = until
    locked.save(update_fields=["reopened_until", "updated_at"])
    notices.entry_reopened(locked, change)
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
