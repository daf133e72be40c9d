"""Letters staff write to a selection of entries (issue 17 item 4): the selection (a cycle, a
category or all, an entry state or all but drafts and withdrawn), the text checked like any
notification template (the `letter` kind's placeholders), a preview of each letter as its
recipient will read it, and sending through the outbox — once per recipient, however often
staff press send. A letter that tells a result (`{award_level}`, `{results_url}`) goes only
when every entry it selects belongs to an announced cycle: a result is never told early.

The admin (admin/letters.py) calls these functions; nothing else decides."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.notifications import kinds, sending
from portal.notifications.models import Notification

from . import notices, permissions
from .models import Entry, EntryState, Letter

NOT_WRITTEN_TO = (EntryState.DRAFT, EntryState.WITHDRAWN)


class LetterError(Exception):
    """A letter cannot be previewed or sent as it stands; the message is for staff (Thai)."""


@dataclass(frozen=True)
class Rendered:
    """One letter as one recipient will read it."""

    entry: Entry
    recipient: sending.Recipient
    subject: str
    body: str


def occasion(letter: Letter) -> str:
    return f"letter-{letter.pk}"


def entries(letter: Letter) -> QuerySet[Entry]:
    """The entries a letter is written about (one letter per recipient of each)."""
    chosen = Entry.objects.filter(category__cycle_id=letter.cycle_id)
    if letter.category_id:
        chosen = chosen.filter(category_id=letter.category_id)
    if letter.state:
        chosen = chosen.filter(state=letter.state)
    else:
        chosen = chosen.exclude(state__in=NOT_WRITTEN_TO)
    return chosen.select_related("agency", "category__cycle").order_by("reference", "pk")


def check_text(subject: str, body: str, subject_en: str = "", body_en: str = "") -> None:
    """Raise kinds.TemplateError (Thai) for an unknown or malformed placeholder, or an English
    version with a subject and no body (or the other way round)."""
    kinds.check_template(notices.LETTER, subject, body, subject_en, body_en)
    if bool(subject_en.strip()) != bool(body_en.strip()):
        raise kinds.TemplateError(_("ฉบับภาษาอังกฤษต้องมีทั้งเรื่องและข้อความ หรือเว้นว่างทั้งสองช่อง"))


def tells_result(letter: Letter) -> bool:
    texts = (letter.subject, letter.body, letter.subject_en, letter.body_en)
    used = {name for text in texts for name in kinds.placeholder_names(text)}
    return bool(used & set(notices.RESULT_PLACEHOLDERS))


def refusal(letter: Letter) -> str | None:
    """Why the letter may not be previewed or sent now (Thai), or None."""
    try:
        check_text(letter.subject, letter.body, letter.subject_en, letter.body_en)
    except kinds.TemplateError as error:
        return str(error)
    if tells_result(letter) and letter.cycle.results_published_at is None:
        return _(
            "จดหมายนี้ใช้ตัวแทนข้อความผลการตัดสิน แต่ปีรางวัล พ.ศ. %(year)s ยังไม่ประกาศผล "
            "จึงส่งไม่ได้ (ไม่แจ้งผลก่อนประกาศ)"
        ) % {"year": letter.cycle.year_be}
    if not entries(letter).exists():
        return _("ไม่มีผลงานตรงกับเงื่อนไขที่เลือก")
    return None


def texts(letter: Letter):
    """The letter's templates in a recipient's language: its English version when written."""

    def in_language(language: str) -> tuple[str, str]:
        if language == "en" and letter.subject_en.strip() and letter.body_en.strip():
            return letter.subject_en, letter.body_en
        return letter.subject, letter.body

    return in_language


def preview(letter: Letter, limit: int | None = None) -> list[Rendered]:
    """Each letter as its real recipient will read it (their language, real values)."""
    problem = refusal(letter)
    if problem:
        raise LetterError(problem)
    in_language = texts(letter)
    rendered = []
    for entry in entries(letter):
        for recipient in sending.unique_recipients(notices.agency_recipients(entry)):
            subject, body = sending.render(
                notices.LETTER, entry, recipient, texts=in_language(recipient.language)
            )
            rendered.append(Rendered(entry, recipient, subject, body))
            if limit is not None and len(rendered) >= limit:
                return rendered
    return rendered


@transaction.atomic
def send(letter: Letter, by) -> int:
    """Queue the letter to every recipient of every selected entry; returns how many were
    queued now. Once per recipient and entry: sending again queues only the new ones (an
    entry that joined the selection, an official who joined the agency)."""
    if not permissions.is_secretariat(by):
        raise LetterError(_("เฉพาะเจ้าหน้าที่ สำนักงาน ก.พ.ร. เท่านั้นที่ส่งจดหมายได้"))
    letter = Letter.objects.select_for_update().select_related("cycle").get(pk=letter.pk)
    problem = refusal(letter)
    if problem:
        raise LetterError(problem)
    queued = 0
    for entry in entries(letter):
        queued += len(
            sending.notify(
                notices.LETTER.code,
                entry,
                notices.agency_recipients(entry),
                occasion=occasion(letter),
                link=reverse("awards:entry", kwargs={"public_id": entry.public_id}),
                texts=texts(letter),
            )
        )
    if letter.sent_at is None:
        letter.sent_at = timezone.now()
        letter.save(update_fields=["sent_at"])
    return queued


def progress(letter: Letter) -> dict[str, int]:
    """The letter's rows in the outbox by state: queued, sent, failed."""
    counts = dict(
        Notification.objects.filter(kind=notices.LETTER.code, occasion=occasion(letter))
        .values_list("state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {state: counts.get(state, 0) for state in Notification.State.values}
