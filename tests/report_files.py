"""Reading back what the report builders produce: PDF text (pypdf) and PNG pages (poppler)."""

import io
import re
import subprocess
from pathlib import Path

import pypdf
import pytest

# PDF text extraction splits Thai around above/below marks and loses SARA AM; compare the
# consonants and vowels on the line, which are what a reader sees first.
_MARKS = re.compile(r"[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\s]")


def skeleton(text: str) -> str:
    return _MARKS.sub("", text.replace("\u0e33", "\u0e32"))


def pdf_reader(content: bytes) -> pypdf.PdfReader:
    assert content.startswith(b"%PDF-"), content[:20]
    return pypdf.PdfReader(io.BytesIO(content))


def pdf_pages_text(content: bytes) -> list[str]:
    return [page.extract_text() or "" for page in pdf_reader(content).pages]


def pdf_text(content: bytes) -> str:
    return "\n".join(pdf_pages_text(content))


def pdf_contains(content: bytes, *phrases: str) -> bool:
    text = skeleton(pdf_text(content))
    return all(skeleton(phrase) in text for phrase in phrases)


def pdf_fonts(content: bytes) -> set[str]:
    fonts = set()
    for page in pdf_reader(content).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont")))
    return fonts


def render_page_png(content: bytes, page: int, out: Path, dpi: int = 110) -> Path:
    """Render one page with poppler's pdftoppm (to look at it, or to measure ink)."""
    pdf = out.with_suffix(".pdf")
    pdf.write_bytes(content)
    prefix = out.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-f", str(page), "-l", str(page),
         str(pdf), str(prefix)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return prefix.with_suffix(".png")


@pytest.fixture
def private_storage(tmp_path, monkeypatch):
    """Report files go to a temporary folder, not var/private (use with autouse in a module:
    `pytestmark = pytest.mark.usefixtures("private_storage")`)."""
    from django.core.files.storage import FileSystemStorage

    from portal.reports.models import Report

    storage = FileSystemStorage(location=tmp_path / "private")
    monkeypatch.setattr(Report._meta.get_field("file"), "storage", storage)
    return storage
