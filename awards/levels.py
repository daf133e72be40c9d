"""Award levels are data (AwardLevel rows per cycle and branch); this module is the one place
that reads them: which levels a committee may decide for an entry, and how a level's code is
named and ranked wherever it is shown (results, public pages, facets, API, open data, reports).

The code is the stable key: results, case studies, open data and imported history carry it.
Names and ranks are read from a catalogue of every row, kept in the shared cache (so every
process sees a change at once) and forgotten whenever a level, a cycle or a branch is saved.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Q
from django.utils.translation import gettext as _

from portal.language import in_reader_language
from portal.operations.cache import forget_once, get_once, read_together

from .models import AwardLevel, AwardLevelKind, Category, Entry, Result, SiteVisit

CACHE_KEY = "awards:levels:catalogue"
read_together(CACHE_KEY)  # every list and case page names levels
UNRANKED = 1 << 15  # a code no level names sorts last

# (code, Thai name, English name, kind, rank). The levels a new cycle starts with for every
# branch; the secretariat adjusts them per cycle and branch in the admin.
STANDARD_LEVELS = [
    ("honour", "รางวัลเกียรติยศเลิศรัฐ", "Public Sector Excellence Award of Honour", "special", 1),
    ("outstanding", "ระดับดีเด่น", "Outstanding", "level", 2),
    ("good", "ระดับดี", "Good", "level", 3),
    ("not_awarded", "ไม่ได้รับรางวัล", "Not awarded", "not_awarded", 99),
]
# PMQA 4.0 certifies an organisation's maturity at three levels (Basic, Advance, Significance)
# instead of ดีเด่น/ดี: the PMQA branch's own levels in the demo and the secretariat's set-up.
PMQA_LEVELS = [
    ("pmqa_significance", "ระดับโดดเด่น (Significance)", "Significance level", "level", 2),
    ("pmqa_advance", "ระดับก้าวหน้า (Advance)", "Advance level", "level", 3),
    ("pmqa_basic", "ระดับพื้นฐาน (Basic)", "Basic level", "level", 4),
]


class LevelError(Exception):
    """A level that may not be decided for this entry; the message is for the user (Thai)."""


@dataclass(frozen=True)
class Level:
    code: str
    name_th: str
    name_en: str
    kind: str
    rank: int

    @property
    def display_name(self) -> str:
        return in_reader_language(self.name_th, self.name_en)

    @property
    def is_award(self) -> bool:
        return self.kind != AwardLevelKind.NOT_AWARDED


def _build() -> dict:
    """{"place": {(year, branch code or None, code): Level}, "code": {code: Level}}: by code,
    the standing levels (no cycle) win, else the latest cycle's row."""
    place, by_code, standing = {}, {}, {}
    rows = AwardLevel.objects.select_related("cycle", "branch").order_by(
        "cycle__year_be", "branch__code"
    )
    for row in rows:
        level = Level(row.code, row.name_th, row.name_en, row.kind, row.rank)
        if row.cycle_id is None:
            standing[row.code] = level
        else:
            branch = row.branch.code if row.branch_id else None
            place[(row.cycle.year_be, branch, row.code)] = level
            by_code[row.code] = level
    return {"place": place, "code": by_code | standing}


def _catalogue() -> dict:
    catalogue = get_once(CACHE_KEY)
    if catalogue is None:
        catalogue = _build()
        cache.set(CACHE_KEY, catalogue, None)
        forget_once(CACHE_KEY)
    return catalogue


def forget(**kwargs) -> None:
    """Signal receiver (awards/apps.py): a level, cycle or branch changed."""
    cache.delete(CACHE_KEY)
    forget_once(CACHE_KEY)


def find(code: str, year: int | None = None, branch: str | None = None) -> Level | None:
    """The level a code names in a year's branch, else in that year, else anywhere."""
    catalogue = _catalogue()
    place = catalogue["place"]
    return (
        place.get((year, branch, code))
        or place.get((year, None, code))
        or catalogue["code"].get(code)
    )


def label(code: str, year: int | None = None, branch: str | None = None) -> str:
    """A level's name in the reader's language ('' for no level; the code if nothing names it)."""
    if not code:
        return ""
    level = find(code, year, branch)
    return level.display_name if level else code


def code_for(text: str) -> str | None:
    """The code a level is known by: its code, or its Thai or English name in any cycle."""
    wanted = text.strip().casefold()
    catalogue = _catalogue()
    for level in [*catalogue["code"].values(), *catalogue["place"].values()]:
        if wanted in (level.code.casefold(), level.name_th.casefold(), level.name_en.casefold()):
            return level.code
    return None


def label_of(decided) -> str:
    """The level of a Result (award_level) or SiteVisit (proposed_level), as its entry's cycle
    and branch name it."""
    code = getattr(decided, "award_level", None) or getattr(decided, "proposed_level", "")
    category = decided.entry.category
    return label(code, category.cycle.year_be, category.branch.code)


def rank(code: str) -> int:
    level = _catalogue()["code"].get(code)
    return level.rank if level else UNRANKED


def is_award(code: str) -> bool:
    level = _catalogue()["code"].get(code)
    return bool(level and level.is_award)


def code_choices() -> list[tuple[str, str]]:
    """Every code a level is known by, highest first, with its name: a case study's choices."""
    known = sorted(_catalogue()["code"].values(), key=lambda level: (level.rank, level.code))
    return [(level.code, level.display_name) for level in known]


def award_codes() -> list[str]:
    """Every code that is an award (not "not awarded"), highest first."""
    levels = [level for level in _catalogue()["code"].values() if level.is_award]
    return [level.code for level in sorted(levels, key=lambda level: (level.rank, level.code))]


def levels_for(category: Category):
    """The levels of a category's cycle and branch (its branch's own and the all-branch ones),
    highest first: what a chair may propose and the committee decide."""
    return (
        AwardLevel.objects.filter(cycle_id=category.cycle_id)
        .filter(Q(branch__isnull=True) | Q(branch_id=category.branch_id))
        .order_by("rank", "code")
    )


def choices_for(category: Category) -> list[tuple[str, str]]:
    return [(level.code, level.display_name) for level in levels_for(category)]


def level_for(entry: Entry, code: str) -> AwardLevel:
    """The entry's level named `code`; LevelError (Thai) when its cycle and branch have none."""
    level = levels_for(entry.category).filter(code=code).first() if code else None
    if level is None:
        raise LevelError(_("กรุณาเลือกระดับรางวัลของปีรางวัลและสาขาของผลงานนี้"))
    return level


def not_awarded_code(entry: Entry) -> str:
    """The code of "not awarded" in the entry's cycle and branch."""
    level = levels_for(entry.category).filter(kind=AwardLevelKind.NOT_AWARDED).first()
    if level is None:
        raise LevelError(_("ปีรางวัลนี้ยังไม่ได้กำหนดระดับ “ไม่ได้รับรางวัล” ของสาขานี้"))
    return level.code


def add_levels(cycle, rows=STANDARD_LEVELS, branch=None) -> None:
    """Give a cycle (None: the standing levels) the `rows` it lacks, for `branch` (None: all)."""
    for code, name_th, name_en, kind, rank_ in rows:
        AwardLevel.objects.get_or_create(
            cycle=cycle,
            branch=branch,
            code=code,
            defaults={"name_th": name_th, "name_en": name_en, "kind": kind, "rank": rank_},
        )


def restore_standing_levels(**kwargs) -> None:
    """post_migrate (awards/apps.py): the standing levels that name the codes of history, put
    back when a database is flushed (as the test runner does) or has none. Not when a database
    was migrated back to before award levels were data (the table is not there)."""
    state = kwargs.get("apps")
    if state is not None and "awardlevel" not in state.all_models.get("awards", {}):
        return
    if not AwardLevel.objects.filter(cycle__isnull=True).exists():
        add_levels(None, STANDARD_LEVELS + PMQA_LEVELS)
        forget()


def in_use(code: str, cycle_id: int | None) -> bool:
    """Whether a result or a proposed level of the cycle carries the code."""
    if cycle_id is None:
        return False
    return (
        Result.objects.filter(entry__category__cycle_id=cycle_id, award_level=code).exists()
        or SiteVisit.objects.filter(
            entry__category__cycle_id=cycle_id, proposed_level=code
        ).exists()
    )


def clash(level: AwardLevel) -> str | None:
    """Why a level can't be saved (Thai), or None: a code decided on stays; in one cycle a code
    is either for all branches or per branch, never both, so it names one level per entry."""
    if level.pk:
        former = AwardLevel.objects.filter(pk=level.pk).values_list("code", flat=True).first()
        if former and former != level.code and in_use(former, level.cycle_id):
            return _("มีผลการตัดสินที่ใช้รหัสนี้แล้ว จึงเปลี่ยนรหัสไม่ได้ (แก้ชื่อได้)")
    if level.cycle_id is None:
        return None
    others = AwardLevel.objects.filter(cycle_id=level.cycle_id, code=level.code).exclude(
        pk=level.pk
    )
    if level.branch_id is None and others.exists():
        return _("รหัสนี้กำหนดไว้แล้วในปีรางวัลนี้")
    if others.filter(branch__isnull=True).exists():
        return _("รหัสนี้กำหนดไว้แล้วสำหรับทุกสาขาของปีรางวัลนี้")
    return None
