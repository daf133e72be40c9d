"""Copying a cycle: next year's cycle made from this year's set-up, for the secretariat to
adjust. Categories, their rubrics (criteria and score levels), award levels, eligibility and
panels (chair and members, without entries) and the site-visit checklist are copied;
entries, assignments, scores, site visits and results never are. Nothing of the old cycle
changes: every copy is a new row."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from . import entry_forms, permissions
from .models import (
    AwardLevel,
    Category,
    Criterion,
    Cycle,
    EligibilityQuestion,
    EligibilityRule,
    Panel,
    PanelMember,
    SiteVisitChecklistItem,
)


class CopyError(Exception):
    """The copy was refused; the message is for the user (Thai)."""


@dataclass
class CycleCopy:
    """A copy under way: each step reads `source` and writes into `target`."""

    source: Cycle
    target: Cycle
    by: object
    categories: dict[int, Category] = field(default_factory=dict)  # source id → its copy


def next_year(value):
    """The same day a year later (29 February → 28 February); None stays None."""
    if value is None:
        return None
    try:
        return value.replace(year=value.year + 1)
    except ValueError:
        return value.replace(year=value.year + 1, day=28)


def clone(obj: models.Model, by, **changes) -> models.Model:
    """A new row with `obj`'s values, `changes` (by attname, e.g. category_id=…) applied."""
    values = {
        f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key
    }
    copy = type(obj)(**(values | changes))
    copy._history_user = by  # django-simple-history: who made the copy
    copy.save()
    return copy


def copy_categories(copy: CycleCopy) -> None:
    for category in copy.source.categories.order_by("pk"):
        copy.categories[category.pk] = clone(category, copy.by, cycle_id=copy.target.pk)


def copy_entry_forms(copy: CycleCopy) -> None:
    """Each category's current entry form, as version 1 of its copy (unlocked, to adjust)."""
    for old_pk, category in copy.categories.items():
        form = entry_forms.current_form(Category.objects.get(pk=old_pk))
        if form is not None:
            entry_forms.copy_form(form, category)


def copy_rubrics(copy: CycleCopy) -> None:
    criteria = Criterion.objects.filter(category__cycle=copy.source).prefetch_related("levels")
    for criterion in criteria.order_by("pk"):
        category = copy.categories[criterion.category_id]
        new = clone(criterion, copy.by, category_id=category.pk)
        for level in criterion.levels.all():
            clone(level, copy.by, criterion_id=new.pk)


def copy_award_levels(copy: CycleCopy) -> None:
    for level in AwardLevel.objects.filter(cycle=copy.source).order_by("pk"):
        clone(level, copy.by, cycle_id=copy.target.pk)


def copy_eligibility(copy: CycleCopy) -> None:
    for model in (EligibilityQuestion, EligibilityRule):
        for row in model.objects.filter(category__cycle=copy.source).order_by("pk"):
            clone(row, copy.by, category_id=copy.categories[row.category_id].pk)


def copy_panels(copy: CycleCopy) -> None:
    """Panel templates: name, chair and members; assignments stay with the old cycle."""
    for panel in Panel.objects.filter(cycle=copy.source).order_by("pk"):
        new = clone(panel, copy.by, cycle_id=copy.target.pk)
        for member in PanelMember.objects.filter(panel=panel).order_by("pk"):
            clone(member, copy.by, panel_id=new.pk)


def copy_visit_checklist(copy: CycleCopy) -> None:
    """The site-visit checklist items, cycle-wide and per category; never a visit's ticks."""
    for item in SiteVisitChecklistItem.objects.filter(cycle=copy.source).order_by("pk"):
        category = copy.categories[item.category_id].pk if item.category_id else None
        clone(item, copy.by, cycle_id=copy.target.pk, category_id=category)


# What a cycle copy copies, in order (categories first: the others hang on them). Another
# part of the set-up joins the copy with one more step here.
COPY_STEPS: list[Callable[[CycleCopy], None]] = [
    copy_categories,
    copy_entry_forms,
    copy_rubrics,
    copy_award_levels,
    copy_eligibility,
    copy_panels,
    copy_visit_checklist,
]

# The cycle's own dates, moved a year; the announcement is the new cycle's own business.
MOVED_DATES = [
    f.name
    for f in Cycle._meta.concrete_fields
    if isinstance(f, models.DateField | models.DateTimeField) and f.name != "results_published_at"
]


@transaction.atomic
def copy_cycle(source: Cycle, by) -> Cycle:
    """Next year's cycle (B.E. year + 1) from `source`, every date a year later, not announced,
    a draft (not open, not public) until staff untick it. Refused when that year exists."""
    if not permissions.can_manage_assessment(by):
        raise CopyError(_("เฉพาะเจ้าหน้าที่ สำนักงาน ก.พ.ร. เท่านั้นที่คัดลอกปีรางวัลได้"))
    year = source.year_be + 1
    refusal = _("มีปีรางวัล พ.ศ. %(year)s อยู่แล้ว จึงคัดลอกปีรางวัล พ.ศ. %(source)s ไม่ได้") % {
        "year": year,
        "source": source.year_be,
    }
    if Cycle.objects.filter(year_be=year).exists():
        raise CopyError(refusal)
    dates = {name: next_year(getattr(source, name)) for name in MOVED_DATES}
    title = source.title.replace(str(source.year_be), str(year))
    try:
        with transaction.atomic():
            target = clone(
                source, by, year_be=year, title=title, results_published_at=None, is_draft=True,
                **dates,
            )  # fmt: skip
    except IntegrityError as error:  # the same year made by someone else at the same moment
        raise CopyError(refusal) from error
    copy = CycleCopy(source=source, target=target, by=by)
    for step in COPY_STEPS:
        step(copy)
    return target
