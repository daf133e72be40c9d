"""Reports of the award cycle: an agency's own entry as a PDF (for its records) and a cycle's
screening and site-visit results as a spreadsheet. Registered on portal.reports; who may ask
for which is decided by awards.permissions."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.reports.kinds import BuiltFile, ReportError, ReportKind, dated_filename, register
from portal.reports.pdf import render_pdf

from . import feedback, permissions, submission
from .models import Cycle, Entry, Feedback
from .spreadsheets import XLSX, build_results_workbook, workbook_bytes

PDF = "application/pdf"


def build_entry_pdf(entry_id: int) -> BuiltFile:
    entry = (
        Entry.objects.select_related(
            "category__cycle",
            "category__branch",
            "agency__parent",
            "submitted_by",
            "created_by",
            "form",
        )
        .prefetch_related("attachments", "state_changes")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        raise ReportError(_("ไม่พบผลงานนี้"))
    content = render_pdf(
        "awards/pdf/entry.html",
        {"entry": entry, "answers": submission.answer_sheet(entry), "generated_at": timezone.now()},
    )
    name = entry.reference or f"draft-{entry.public_id.hex[:8]}"
    return BuiltFile(dated_filename(name, "pdf"), PDF, content)


def build_results_spreadsheet(cycle_id: int) -> BuiltFile:
    cycle = Cycle.objects.filter(pk=cycle_id).first()
    if cycle is None:
        raise ReportError(_("ไม่พบปีรางวัลนี้"))
    content = workbook_bytes(build_results_workbook(cycle_id))
    return BuiltFile(dated_filename(f"results-{cycle.year_be}", "xlsx"), XLSX, content)


def _entry_options(user):
    entries = permissions.entries_visible_to(user).select_related("category__cycle")
    return [
        (entry.pk, f"{entry.reference or _('(ฉบับร่าง)')} {entry.title}")
        for entry in entries.order_by("-created_at")[:500]
    ]


def _entry_allowed(user, value) -> bool:
    return permissions.entries_visible_to(user).filter(pk=value).exists()


def _may_see_entries(user) -> bool:
    return permissions.entries_visible_to(user).exists()


def _cycle_options(user):
    return [(cycle.pk, str(cycle)) for cycle in Cycle.objects.order_by("-year_be")]


def _cycle_allowed(user, value) -> bool:
    return permissions.is_secretariat(user) and Cycle.objects.filter(pk=value).exists()


register(
    ReportKind(
        code="entry",
        label=gettext_lazy("ผลงานที่สมัคร (PDF)"),
        description=gettext_lazy("ใบสมัครของหน่วยงานฉบับเต็ม สำหรับเก็บเป็นหลักฐาน"),
        parameter="entry",
        parameter_label=gettext_lazy("ผลงานที่สมัคร"),
        options=_entry_options,
        allowed=_entry_allowed,
        build=build_entry_pdf,
        available_to=_may_see_entries,
    )
)

register(
    ReportKind(
        code="results",
        label=gettext_lazy("ผลการกลั่นกรองและการลงพื้นที่ (Excel)"),
        description=gettext_lazy(
            "หนึ่งแถวต่อผลงาน หนึ่งคอลัมน์ต่อเกณฑ์ คะแนนถ่วงน้ำหนัก ค่าความต่าง และลำดับ แยกแผ่นงานตามประเภท"
        ),
        parameter="cycle",
        parameter_label=gettext_lazy("ปีรางวัล"),
        options=_cycle_options,
        allowed=_cycle_allowed,
        build=build_results_spreadsheet,
        available_to=permissions.is_secretariat,
    )
)


def build_feedback_pdf(entry_id: int) -> BuiltFile:
    entry = Entry.objects.select_related("category__cycle", "agency").filter(pk=entry_id).first()
    released = feedback.released_to_agency(entry) if entry else None
    if released is None:
        raise ReportError(_("ยังไม่มีข้อเสนอแนะที่เผยแพร่ของผลงานนี้"))
    context = {
        "entry": entry,
        "feedback": released,
        "points": feedback.points_for_agency(released),
        "generated_at": timezone.now(),
    }
    content = render_pdf("awards/pdf/feedback.html", context)
    return BuiltFile(dated_filename(f"feedback-{entry.reference}", "pdf"), PDF, content)


def _released_entries(user):
    """Entries whose released feedback this user may read: their agency's, or any for staff."""
    released = Feedback.objects.filter(released_at__isnull=False).values("entry_id")
    return permissions.entries_visible_to(user).filter(pk__in=released)


register(
    ReportKind(
        code="feedback",
        label=gettext_lazy("ข้อเสนอแนะจากการประเมิน (PDF)"),
        description=gettext_lazy("จุดแข็งและโอกาสในการปรับปรุงรายเกณฑ์ของผลงาน หลังประกาศผล"),
        parameter="entry",
        parameter_label=gettext_lazy("ผลงานที่สมัคร"),
        options=lambda user: [
            (entry.pk, f"{entry.reference} {entry.title}")
            for entry in _released_entries(user).order_by("-created_at")[:500]
        ],
        allowed=lambda user, value: _released_entries(user).filter(pk=value).exists(),
        build=build_feedback_pdf,
        available_to=lambda user: _released_entries(user).exists(),
    )
)
