"""Feedback to every agency: after a cycle is announced, each decided entry gets strengths and
areas for improvement per criterion, drafted from the assessors' criterion comments, edited by
staff or the panel chair, and released by staff per category. The agency reads it on its
entry's page and as a PDF. It never says who wrote what, nor any score: the report holds only
the criteria's titles and the edited texts."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import notices, permissions, scoring
from .models import AssessmentRound, Category, Criterion, Cycle, Entry, Feedback, FeedbackPoint


class FeedbackError(Exception):
    """A rule of feedback refused the action; the message is for the user (Thai)."""


def drafted_comments(entry: Entry, criterion: Criterion) -> str:
    """The counted sheets' comments on a criterion, each once, as lines: the editor's start."""
    comments = (
        scoring.counted_scores(criterion.round)
        .filter(sheet__assignment__entry=entry, criterion=criterion)
        .exclude(comment="")
        .order_by("sheet__submitted_at", "pk")
        .values_list("comment", flat=True)
    )
    return "\n".join(f"- {text.strip()}" for text in dict.fromkeys(comments))


@transaction.atomic
def draft(entry: Entry) -> Feedback:
    """The entry's feedback with a point per criterion of its rubric (screening, then site
    visit), drafted from the comments. Idempotent: an edited point is never overwritten."""
    feedback, _created = Feedback.objects.get_or_create(entry=entry)
    have = set(feedback.points.values_list("criterion_id", flat=True))
    criteria = Criterion.objects.filter(category_id=entry.category_id).order_by("round", "order")
    for criterion in criteria:
        if criterion.pk not in have:
            FeedbackPoint.objects.create(
                feedback=feedback, criterion=criterion, strengths=drafted_comments(entry, criterion)
            )
    return feedback


def draft_announced() -> int:
    """Every decided entry of an announced cycle without feedback gets its draft (hourly under
    celery beat, and staff's "draft now" in the admin). Returns how many were drafted."""
    missing = Entry.objects.filter(
        category__cycle__results_published_at__isnull=False,
        result__isnull=False,
        feedback__isnull=True,
    )
    return sum(1 for entry in missing if draft(entry))


def may_edit(user, feedback: Feedback) -> bool:
    """Staff, or the chair of a panel that assessed the entry; never once released."""
    return (
        feedback.released_at is None
        and permissions.entries_of_chair_or_staff(user).filter(pk=feedback.entry_id).exists()
    )


@transaction.atomic
def release(category: Category, by) -> int:
    """Staff release a category's feedback to its agencies (each told); only once the cycle's
    results are announced. Returns how many were released now."""
    if not permissions.is_secretariat(by):
        raise FeedbackError(_("เฉพาะเจ้าหน้าที่ สำนักงาน ก.พ.ร. เผยแพร่ข้อเสนอแนะได้"))
    if not Cycle.objects.filter(pk=category.cycle_id, results_published_at__isnull=False).exists():
        raise FeedbackError(_("เผยแพร่ข้อเสนอแนะได้หลังประกาศผลของปีรางวัลแล้วเท่านั้น"))
    pending = Feedback.objects.select_for_update().filter(
        entry__category=category, released_at__isnull=True
    )
    released = 0
    for feedback in pending.select_related("entry__agency", "entry__category__cycle"):
        feedback.released_at = timezone.now()
        feedback.released_by = by
        feedback._history_user = by
        feedback.save(update_fields=["released_at", "released_by"])
        notices.feedback_released(feedback)
        released += 1
    return released


def released_to_agency(entry: Entry) -> Feedback | None:
    """The feedback the agency may read, or None before it is released."""
    return Feedback.objects.filter(entry=entry, released_at__isnull=False).first()


def points_for_agency(feedback: Feedback) -> list[tuple[str, str, str, str]]:
    """(round, criterion, strengths, improvements) for each point with something to say."""
    return [
        (
            AssessmentRound(point.criterion.round).label,
            point.criterion.display_title,
            point.strengths,
            point.improvements,
        )
        for point in feedback.points.select_related("criterion")
        if point.strengths.strip() or point.improvements.strip()
    ]
