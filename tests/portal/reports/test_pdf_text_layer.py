"""The PDFs' text layer is exactly the Thai that was printed (issue 14): every report's text,
read back with poppler's `pdftotext`, holds each source text character for character — SARA
AM (ำ), tone marks and vowels above and below included — whatever word came first on the
page (WeasyPrint maps a glyph to the text of the first cluster it drew it in)."""

import re
import subprocess

import pytest

from awards.reports import build_entry_pdf
from cases.reports import build_case_study_pdf, build_compendium_pdf, lesson_heading
from tests.factories import CaseStudyFactory, EntryFactory, LessonFactory
from tests.report_files import private_storage  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_storage")]

# ำ alone, after a tone mark (น้ำ: HarfBuzz splits ำ and moves its NIKHAHIT before the tone),
# beside tall consonants (ป่ำ), า on its own after ำ was drawn (การ), the four tone marks,
# vowels above and below, ญ/ฐ losing their tails, ฤๅ, the Thai digits.
TRICKY = (
    "จำนวนผู้รับบริการ ลำพูน น้ำใต้ดิน ซ้ำซ้อน การทำงาน กำไร คำขอ ป่ำ ฟ้ำ ต๋ำ ก๊ำ ล่ำซำ "
    "ญี่ปุ่น ฐานข้อมูล กฎหมาย ปฏิรูป ฤๅษี ที่ปรึกษา ปั้นดิน ผู้ใหญ่บ้าน เกื้อกูล ๒๕๖๙"
)
TEXTS = {
    "title": "ระบบนัดหมายลดเวลารอคอยที่โรงพยาบาลลำพูน",
    "summary": "จำนวนผู้รับบริการเพิ่มขึ้นร้อยละสามสิบ น้ำใจของอาสาสมัครทำให้งานสำเร็จ",
    "problem": "ผู้ป่วยต้องมาซ้ำหลายครั้ง " + TRICKY,
    "results": "ลดเวลารอคอยเหลือสามสิบนาที กำลังคนเพียงพอ ไม่ต้องทำงานล่วงเวลา",
}


def pdftotext(content: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        check=True, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    return result.stdout


def squeeze(text: str) -> str:
    """Thai lines break between words without a space: compare without any whitespace."""
    return re.sub(r"\s+", "", text)


def assert_printed_as_written(content: bytes, tmp_path, *sources: str):
    extracted = squeeze(pdftotext(content, tmp_path))
    for source in sources:
        assert squeeze(source) in extracted, f"{source!r} not in the text layer"
    # Nothing the sources never had: no lost SARA AM turned into SARA AA, no stray marks.
    assert "จานวน" not in extracted and "ลาพูน" not in extracted and "กำร" not in extracted


def test_case_study_pdf_text_is_what_was_printed(tmp_path):
    case = CaseStudyFactory(
        title=TEXTS["title"],
        summary=TEXTS["summary"],
        problem=TEXTS["problem"],
        results=TEXTS["results"],
        year_be=2568,
    )
    LessonFactory(
        case_study=case,
        title="ถอดบทเรียน: ทำซ้ำได้ในทุกอำเภอ",
        success_factors="ผู้นำชุมชนเข้มแข็ง น้ำใจของคนในตำบล",
    )
    built = build_case_study_pdf(case.pk)
    assert_printed_as_written(
        built.content,
        tmp_path,
        *TEXTS.values(),
        "ผู้นำชุมชนเข้มแข็ง น้ำใจของคนในตำบล",
    )
    text = squeeze(pdftotext(built.content, tmp_path))
    # The lesson's heading says "ถอดบทเรียน" once, though its title already starts with it.
    assert "ถอดบทเรียน:ทำซ้ำได้ในทุกอำเภอ" in text
    assert "ถอดบทเรียน:ถอดบทเรียน" not in text


def test_compendium_pdf_text_is_what_was_printed(tmp_path):
    CaseStudyFactory(
        title=TEXTS["title"], summary=TEXTS["summary"], problem=TEXTS["problem"], year_be=2567
    )
    CaseStudyFactory(title="การบริหารจัดการน้ำโดยชุมชน", summary=TRICKY, year_be=2567)
    built = build_compendium_pdf(2567)
    assert_printed_as_written(
        built.content, tmp_path, TEXTS["title"], TEXTS["summary"], TEXTS["problem"], TRICKY
    )


def test_entry_pdf_text_is_what_was_printed(tmp_path):
    entry = EntryFactory(
        title=TEXTS["title"],
        summary=TEXTS["summary"],
        problem=TEXTS["problem"],
        results=TEXTS["results"],
        partners="สำนักงานสาธารณสุขจังหวัดลำพูน และเทศบาลตำบลบ้านธิ",
    )
    built = build_entry_pdf(entry.pk)
    assert_printed_as_written(built.content, tmp_path, *TEXTS.values(), entry.answers["partners"])


@pytest.mark.parametrize(
    "title, heading",
    [
        ("ถอดบทเรียน: แก้คิวยาว", "ถอดบทเรียน: แก้คิวยาว"),
        ("ถอดบทเรียน แก้คิวยาว", "ถอดบทเรียน: แก้คิวยาว"),
        ("แก้คิวยาว", "ถอดบทเรียน: แก้คิวยาว"),
    ],
)
def test_lesson_heading_names_the_lesson_once(title, heading):
    assert lesson_heading(title) == heading
