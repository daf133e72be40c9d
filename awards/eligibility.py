"""Who may start an entry in a category: the category's yes/no questions (answered by the
official) and its automatic rules (read from past results), both data the secretariat sets up.

submission.create_entry asks `refusals` before it starts a draft, whichever door the request
came through (web form, API), and records the answers with `record_answers`."""

from collections.abc import Callable

from django.utils.translation import gettext as _

from . import levels
from .models import Category, EligibilityAnswer, EligibilityRuleKind, Entry, Result

# Where else past wins are recorded: each source(agency, category code, first year, last year)
# gives the latest B.E. year the agency won a category with that code in those years, or None.
# cases registers its model projects (winners imported from past years' lists) here, as awards
# may not import cases.
PAST_WIN_SOURCES: list[Callable[..., int | None]] = []


def _latest_result_win(agency, code: str, first: int, last: int) -> int | None:
    return (
        Result.objects.filter(
            entry__agency=agency,
            entry__category__code=code,
            entry__category__cycle__year_be__range=(first, last),
            award_level__in=levels.award_codes(),
        )
        .order_by("-entry__category__cycle__year_be")
        .values_list("entry__category__cycle__year_be", flat=True)
        .first()
    )


def questions(category: Category):
    return category.eligibility_questions.order_by("order", "id")


def _no_repeat_win(rule, category: Category, agency) -> str | None:
    """An agency that won this category (the same code in an earlier cycle) waits `years`
    years: won in 2567 with 3 years, it may enter again in 2570."""
    year = category.cycle.year_be
    span = (agency, category.code, year - rule.years + 1, year - 1)
    wins = [source(*span) for source in (_latest_result_win, *PAST_WIN_SOURCES)]
    won = max((found for found in wins if found is not None), default=None)
    if won is None:
        return None
    return _(
        "หน่วยงานได้รับรางวัลประเภท “%(category)s” เมื่อปี พ.ศ. %(won)s "
        "จึงสมัครประเภทนี้อีกได้ตั้งแต่ปี พ.ศ. %(next)s"
    ) % {"category": category.display_name, "won": won, "next": won + rule.years}


CHECKS = {EligibilityRuleKind.NO_REPEAT_WIN: _no_repeat_win}


def refusals(category: Category, agency, answers: dict[int, bool] | None) -> list[str]:
    """Why `agency` may not start an entry in `category` (Thai, one reason each), or [].
    `answers`: {question id: yes/no}; a question left unanswered is a reason too."""
    answers = answers or {}
    reasons = []
    for question in questions(category):
        if question.pk not in answers:
            reasons.append(
                _("กรุณาตอบคำถามคุณสมบัติ: %(question)s") % {"question": question.display_text}
            )
        elif answers[question.pk] != question.eligible_answer:
            reasons.append(question.display_refusal)
    for rule in category.eligibility_rules.all():
        reason = CHECKS[rule.kind](rule, category, agency)
        if reason:
            reasons.append(reason)
    return reasons


def record_answers(entry: Entry, answers: dict[int, bool] | None, by) -> None:
    """Keep what the official answered with the entry (why it was allowed to start)."""
    for question in questions(entry.category):
        EligibilityAnswer.objects.get_or_create(
            entry=entry,
            question=question,
            defaults={"answer": answers[question.pk], "answered_by": by},
        )
