"""Reports made of public knowledge: a case study as a print-quality PDF, and the compendium
of a cycle's winners (the book OPDC prints every year). Registered on portal.reports."""

import logging
import re
import tempfile
from pathlib import Path

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards import levels
from awards.permissions import is_secretariat
from portal.reports.images import ImageRefused, bounded_copy
from portal.reports.kinds import BuiltFile, ReportError, ReportKind, dated_filename, register
from portal.reports.pdf import render_pdf

from .models import CaseStudy, Lesson

PDF = "application/pdf"
logger = logging.getLogger(__name__)


def published_cases():
    return (
        CaseStudy.objects.published()
        .select_related("agency__parent__parent", "branch", "category")
        .prefetch_related(
            "provinces",
            "topics",
            "sdgs",
            "photos",
            Prefetch(
                "lessons",
                queryset=Lesson.objects.published().order_by("title"),
                to_attr="published_lessons",
            ),
        )
    )


def _with_photo_files(case: CaseStudy, folder: Path) -> CaseStudy:
    """Each photo as a checked, bounded copy in `folder` (portal/reports/images.py: the PDF renderer
    never decodes an upload as it was sent), or, when it can't be decoded within the limits,
    a note of why it is left out: the PDF is built either way."""
    files = []
    for photo in case.photos.all():
        try:
            path = Path(photo.image.path)
        except (ValueError, NotImplementedError):
            continue
        try:
            content, extension = bounded_copy(path)
        except ImageRefused as error:
            logger.warning("case study %s: photo %s left out: %s", case.pk, photo.pk, error)
            files.append({"uri": None, "caption": photo.caption, "error": str(error)})
            continue
        copy = folder / f"photo-{photo.pk}.{extension}"
        copy.write_bytes(content)
        files.append({"uri": copy.as_uri(), "caption": photo.caption})
    case.photo_files = files
    for lesson in getattr(case, "published_lessons", []):
        lesson.heading = lesson_heading(lesson.title)
    return case


LESSON_PREFIX = re.compile(r"^\s*ถอดบทเรียน\s*[:：\-–—]?\s*")


def lesson_heading(title: str) -> str:
    """'ถอดบทเรียน: …' once, whether or not the lesson's title already starts with it."""
    return _("ถอดบทเรียน: %(title)s") % {"title": LESSON_PREFIX.sub("", title)}


def case_study_filename(case: CaseStudy) -> str:
    """`case-study-2568-12-smart-opd_2569-12-06.pdf`: the year, the id and whatever of the
    slug is ASCII (Thai slugs have none), then the B.E. date it was made."""
    ascii_words = [w for w in case.slug.split("-") if w.isascii() and w.isalnum()]
    stem = "-".join([f"case-study-{case.year_be}-{case.pk}", *ascii_words[:6]])
    return dated_filename(stem, "pdf")


def build_case_study_pdf(case_id: int) -> BuiltFile:
    case = published_cases().filter(pk=case_id).first()
    if case is None:
        raise ReportError(_("ไม่พบผลงานต้นแบบนี้ หรือยังไม่ได้เผยแพร่"))
    with tempfile.TemporaryDirectory(prefix="pdf-images-") as folder:
        content = render_pdf(
            "cases/pdf/case_study.html",
            {"case": _with_photo_files(case, Path(folder)), "generated_at": timezone.now()},
            image_dir=Path(folder),
        )
    return BuiltFile(case_study_filename(case), PDF, content)


def winners(year_be: int):
    return (
        published_cases()
        .filter(year_be=year_be)
        # A winner whose level is not recorded (some imported ones) is still in the book.
        .filter(Q(award_level="") | Q(award_level__in=levels.award_codes()))
        .order_by("branch__order", "branch__code", "title")
    )


def build_compendium_pdf(year_be: int) -> BuiltFile:
    with tempfile.TemporaryDirectory(prefix="pdf-images-") as folder:
        return _compendium(year_be, Path(folder))


def _compendium(year_be: int, folder: Path) -> BuiltFile:
    cases = [_with_photo_files(case, folder) for case in winners(year_be)]
    if not cases:
        raise ReportError(_("ปี พ.ศ. %(year)s ยังไม่มีผลงานต้นแบบที่เผยแพร่") % {"year": year_be})
    groups: list[tuple[str, list[CaseStudy]]] = []
    for case in cases:
        branch = case.branch.display_name if case.branch else ""
        if not groups or groups[-1][0] != branch:
            groups.append((branch, []))
        groups[-1][1].append(case)
    content = render_pdf(
        "cases/pdf/compendium.html",
        {"year_be": year_be, "cases": cases, "groups": groups, "generated_at": timezone.now()},
        image_dir=folder,
    )
    return BuiltFile(dated_filename(f"compendium-{year_be}", "pdf"), PDF, content)


def _case_options(user):
    return CaseStudy.objects.published().order_by("-year_be", "title").values_list("pk", "title")


def _case_allowed(user, value) -> bool:
    # Published case studies are public: anyone signed in may have one as a PDF.
    return CaseStudy.objects.published().filter(pk=value).exists()


def _year_options(user):
    years = (
        CaseStudy.objects.published()
        .order_by("-year_be")
        .values_list("year_be", flat=True)
        .distinct()
    )
    return [(year, _("พ.ศ. %(year)s") % {"year": year}) for year in years]


def _year_allowed(user, value) -> bool:
    return is_secretariat(user) and CaseStudy.objects.published().filter(year_be=value).exists()


register(
    ReportKind(
        code="case_study",
        label=gettext_lazy("ผลงานต้นแบบ (PDF)"),
        description=gettext_lazy(
            "เรื่องราวฉบับเต็มของผลงานต้นแบบหนึ่งเรื่อง พร้อมรางวัล หน่วยงาน บทเรียน และภาพประกอบ"
        ),
        parameter="case_study",
        parameter_label=gettext_lazy("ผลงานต้นแบบ"),
        options=_case_options,
        allowed=_case_allowed,
        build=build_case_study_pdf,
    )
)

register(
    ReportKind(
        code="compendium",
        label=gettext_lazy("หนังสือรวมผลงานที่ได้รับรางวัล (PDF)"),
        description=gettext_lazy("ผลงานที่ได้รับรางวัลทั้งหมดของปีรางวัล พร้อมสารบัญ"),
        parameter="year_be",
        parameter_label=gettext_lazy("ปีรางวัล"),
        options=_year_options,
        allowed=_year_allowed,
        build=build_compendium_pdf,
        available_to=is_secretariat,
    )
)
