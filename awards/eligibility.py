"""Who may start an entry in a category: the category's yes/no questions (answered by the
official) and its automatic rules (read from past results), both data the secretariat sets up.

submission.create_entry asks `refusals` before it starts a draft, whichever door the request
came through (web form, API), and records the answers with `record_answers`."""

from django.utils.translation import gettext as _

from . import levels
from .models import Category, EligibilityAnswer, EligibilityRuleKind, Entry, Result


def questions(category: Category):
    return category.eligibility_questions.order_by("order", "id")


def _no_repeat_win(rule, category: Category, agency) -> str | None:
    """An agency that won this category (the same code in an earlier cycle) waits `years`
    years: won in 2567 with 3 years, it may enter again in 2570."""
    year = category.cycle.year_be
    won = (
        Result.objects.filter(
            entry__agency=agency,
            entry__category__code=category.code,
            entry__category__cycle__year_be__gt=year - rule.years,
            entry__category__cycle__year_be__lt=year,
            award_level__in=levels.award_codes(),
        )
        .order_by("-entry__category__cycle__year_be")
        .values_list("entry__category__cycle__year_be", flat=True)
        .first()
    )
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
