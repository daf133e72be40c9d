"""From an awarded entry to a draft model project (ต้นแบบ): when a cycle is announced each
awarded entry gets an unpublished case study filled from its answers; the agency reviews it
and writes its lessons learned on the public site; staff publish both in the admin.

Entries answer forms that are data (awards/entry_forms.py), so the answers are read by
question code where the form has the shipped project form's codes (or PMQA 4.0's), and a
field no code fills takes the form's next unused long-text answer, in form order. Only
long-text, indicator and choice answers are read: contact names, e-mail addresses and phone
numbers never reach a case study, and only the files the agency marked public are copied."""

import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction

from awards import levels
from awards.answers import as_text
from awards.models import Attachment, Cycle, Entry, QuestionKind, Result
from portal.agencies.models import SDG, Province

from . import notices
from .models import CaseDocument, CasePhoto, CaseStudy, Lesson, Topic
from .permissions import can_review_draft
from .slugs import unique_slug

logger = logging.getLogger(__name__)

# Case field ← the question codes that answer it, the first answered wins (the project form's
# codes, then PMQA 4.0's).
BY_CODE = {
    "summary": ("summary", "profile-1"),
    "problem": ("problem", "profile-2"),
    "approach": ("solution", "approach"),
    "results": ("results", "pmqa-7-notes"),
}
INDICATOR_CODES = ("indicators",)  # also every question of the indicators kind
TEXT_FIELDS = ("summary", "problem", "approach", "results")


def _questions(entry: Entry):
    return list(entry.form.questions.select_related("section").order_by("section__order", "order"))


def texts_from_answers(entry: Entry) -> dict[str, str]:
    """summary, problem, approach and results (with the indicators) from the entry's answers."""
    questions = _questions(entry)
    answered = {
        q.code: as_text(q, entry.answers.get(q.code)).strip()
        for q in questions
        if q.kind in (QuestionKind.LONG_TEXT, QuestionKind.INDICATORS)
    }
    used, texts = set(), {}
    for name in TEXT_FIELDS:
        code = next((c for c in BY_CODE[name] if answered.get(c)), None)
        if code:
            texts[name] = answered[code]
            used.add(code)
    indicators = [
        q.code
        for q in questions
        if answered.get(q.code) and (q.code in INDICATOR_CODES or q.kind == QuestionKind.INDICATORS)
    ]
    used.update(indicators)
    spare = [
        q.code
        for q in questions
        if q.kind == QuestionKind.LONG_TEXT and answered.get(q.code) and q.code not in used
    ]
    for name in TEXT_FIELDS:
        if name not in texts:
            texts[name] = answered[spare.pop(0)] if spare else ""
    texts["results"] = "\n\n".join(
        part for part in [texts["results"], *(answered[c] for c in indicators)] if part
    )
    texts["summary"] = texts["summary"] or entry.title  # a case study always has a summary
    return texts


def _chosen(entry: Entry, codes: tuple[str, ...]) -> list[str] | None:
    """The option codes chosen for the form's first choice question among `codes`; None when
    the form asks none of them."""
    question = (
        entry.form.questions.filter(code__in=codes, kind=QuestionKind.CHOICE)
        .order_by("section__order", "order")
        .first()
    )
    if question is None:
        return None
    value = entry.answers.get(question.code)
    if value in (None, "", []):
        return []
    return [str(v) for v in (value if isinstance(value, list) else [value])]


def _places_and_tags(entry: Entry, texts: dict[str, str]) -> dict:
    """Provinces, topics and SDGs: the form's answers where it asks them; else the agency's
    province, and the topics whose names the title or summary mention."""
    sdgs = _chosen(entry, ("sdgs",)) or []
    provinces = _chosen(entry, ("provinces", "province"))
    topics = _chosen(entry, ("topics",))
    if topics is None:
        words = f"{entry.title} {texts['summary']}"
        topics = [t.slug for t in Topic.objects.all() if t.name_th in words]
    return {
        "sdgs": SDG.objects.filter(number__in=[int(n) for n in sdgs if n.isdigit()]),
        "provinces": Province.objects.filter(code__in=provinces)
        if provinces is not None
        else Province.objects.filter(pk=entry.agency.province_id),
        "topics": Topic.objects.filter(slug__in=topics),
    }


def _copy_public_files(entry: Entry, case: CaseStudy) -> None:
    """The entry's files the agency marked public, copied to public storage: images as the
    case's photos, the rest as its documents. Private files are never read."""
    files = Attachment.objects.filter(entry=entry, is_public=True, clarification__isnull=True)
    for order, attachment in enumerate(files.order_by("uploaded_at", "pk")):
        name = attachment.description or attachment.original_name
        try:
            with attachment.file.open("rb") as source:
                if attachment.content_type.startswith("image/"):
                    copy = CasePhoto(case_study=case, caption=name[:300], order=order)
                    copy.image.save(attachment.original_name, source, save=False)
                else:
                    copy = CaseDocument(case_study=case, title=name[:300])
                    copy.file.save(attachment.original_name, source, save=False)
        except OSError as error:
            # A file lost from storage must not stop a cycle's announcement: the draft goes
            # without it, and staff can add it in the admin.
            logger.error("public file not copied: %s", error, extra={"attachment": attachment.pk})
            continue
        copy.save()


def draft_from_result(result: Result) -> CaseStudy | None:
    """An unpublished case study from an awarded entry; None when it has one already (a second
    announcement, a re-run) or the result is no award."""
    entry = result.entry
    if not levels.is_award(result.award_level) or CaseStudy.objects.filter(entry=entry).exists():
        return None
    texts = texts_from_answers(entry)
    case = CaseStudy.objects.create(
        slug=unique_slug(CaseStudy, entry.title),
        title=entry.title,
        **texts,
        entry=entry,
        agency=entry.agency,
        year_be=entry.category.cycle.year_be,
        branch=entry.category.branch,
        category=entry.category,
        award_level=result.award_level,
    )
    for field, values in _places_and_tags(entry, texts).items():
        getattr(case, field).set(values)
    _copy_public_files(entry, case)
    notices.draft_ready(case)
    return case


def draft_announced(cycle: Cycle) -> int:
    """Registered on awards.scoring.WHEN_ANNOUNCED: a draft from every awarded entry of the
    cycle that has none, in the announcing transaction. The number made."""
    results = Result.objects.filter(
        entry__category__cycle=cycle, entry__case_study__isnull=True
    ).select_related("entry__agency", "entry__form", "entry__category__cycle")
    return sum(1 for result in results if draft_from_result(result))


@transaction.atomic
def save_review(user, case: CaseStudy, case_form, lesson_form) -> Lesson:
    """The agency's review of its draft and its lessons learned, saved together (both forms
    already valid) or not at all; the lesson waits for staff to publish it."""
    if not can_review_draft(user, case):
        raise PermissionDenied
    case = case_form.save(commit=False)
    case._history_user = user
    case.save()
    lesson = lesson_form.save(commit=False)
    if lesson.pk is None:
        lesson.case_study = case
        lesson.slug = unique_slug(Lesson, lesson.title)
        lesson.author = user
    lesson.is_published = False
    lesson._history_user = user
    lesson.save()
    return lesson


def lesson_in_review(case: CaseStudy) -> Lesson | None:
    """The agency's lessons learned of its draft, if written (the latest unpublished one)."""
    return case.lessons.filter(is_published=False).order_by("-pk").first()
