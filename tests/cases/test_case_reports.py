"""Case study and compendium PDFs (cases/reports.py): open the files and read them back."""

import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image

from cases.models import CasePhoto
from cases.reports import build_case_study_pdf, build_compendium_pdf
from portal.reports import kinds, requesting
from portal.reports.images import ImageRefused, bounded_copy
from portal.reports.pdf import local_only_fetcher
from portal.thai import be_stamp
from tests.factories import (
    AgencyFactory,
    BranchFactory,
    CaseStudyFactory,
    LessonFactory,
    StaffFactory,
    TopicFactory,
    UserFactory,
    province,
)
from tests.report_files import (
    pdf_contains,
    pdf_fonts,
    pdf_pages_text,
    pdf_reader,
    render_page_png,
    skeleton,
)

pytestmark = pytest.mark.django_db

STORY = {
    "title": "ธนาคารน้ำใต้ดินชุมชนบ้านหนองบัว",
    "summary": "ชุมชนร่วมกับองค์การบริหารส่วนตำบลสร้างระบบเติมน้ำใต้ดินเพื่อแก้ปัญหาภัยแล้ง",
    "problem": "หมู่บ้านขาดแคลนน้ำในฤดูแล้งทุกปี เกษตรกรปลูกพืชได้เพียงครั้งเดียว",
    "approach": "ขุดบ่อเติมน้ำระบบปิดกว่าสองร้อยจุด และตั้งกองทุนดูแลรักษาโดยชุมชน",
    "results": "ระดับน้ำใต้ดินสูงขึ้นเฉลี่ยสองเมตร เกษตรกรปลูกพืชได้ตลอดปี",
}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def case(media):
    parent = AgencyFactory(name_th="กระทรวงมหาดไทยทดสอบ")
    agency = AgencyFactory(name_th="องค์การบริหารส่วนตำบลหนองบัว", parent=parent)
    case = CaseStudyFactory(
        **STORY,
        agency=agency,
        year_be=2568,
        branch=BranchFactory(),
        award_level="outstanding",
        provinces=[province("TH-40")],
    )
    case.topics.add(TopicFactory(name_th="การบริหารจัดการน้ำ"))
    LessonFactory(
        case_study=case,
        title="บทเรียนการจัดการน้ำโดยชุมชน",
        success_factors="ผู้นำชุมชนเข้มแข็งและมีส่วนร่วมทุกขั้นตอน",
        replication="ขยายผลไปยังตำบลใกล้เคียงสิบเอ็ดแห่ง",
    )
    LessonFactory(case_study=case, title="บทเรียนฉบับร่างที่ยังไม่เผยแพร่", is_published=False)
    buffer = io.BytesIO()
    Image.new("RGB", (640, 360), (30, 120, 200)).save(buffer, "JPEG")
    photo = CasePhoto(case_study=case, caption="บ่อเติมน้ำใต้ดินระบบปิด", order=1)
    photo.image.save("photo.jpg", ContentFile(buffer.getvalue()), save=True)
    return case


def test_case_study_pdf_has_cover_award_agency_story_lessons_and_photos(case):
    built = build_case_study_pdf(case.pk)
    assert built.content_type == "application/pdf"
    assert built.filename == f"case-study-2568-{case.pk}-{case.slug}_{be_stamp()}.pdf"
    pages = pdf_pages_text(built.content)
    assert len(pages) >= 2
    # The cover: title, award and agency before anything else.
    assert skeleton(STORY["title"]) in skeleton(pages[0])
    assert skeleton("ระดับดีเด่น") in skeleton(pages[0])
    assert skeleton("องค์การบริหารส่วนตำบลหนองบัว") in skeleton(pages[0])
    assert pdf_contains(
        built.content,
        *STORY.values(),
        "สาขาบริการภาครัฐ",
        "กระทรวงมหาดไทยทดสอบ",  # the agency's place in the tree
        "ขอนแก่น",
        "การบริหารจัดการน้ำ",
        "บทเรียนการจัดการน้ำโดยชุมชน",
        "ผู้นำชุมชนเข้มแข็งและมีส่วนร่วมทุกขั้นตอน",
        "ขยายผลไปยังตำบลใกล้เคียงสิบเอ็ดแห่ง",
        "บ่อเติมน้ำใต้ดินระบบปิด",  # the photo's caption
    )
    assert not pdf_contains(built.content, "บทเรียนฉบับร่างที่ยังไม่เผยแพร่")
    # The photo is embedded as an image.
    images = [image for page in pdf_reader(built.content).pages for image in page.images]
    assert images
    # Page numbers "n / total" on the story pages (not on the cover).
    assert f"2 / {len(pages)}" in pages[1]


def test_the_pdf_embeds_the_portals_thai_font(case):
    fonts = pdf_fonts(build_case_study_pdf(case.pk).content)
    assert any("Sarabun-Thai" in font for font in fonts), fonts


def test_a_thai_page_renders_to_png_with_ink(case, tmp_path):
    """The page is rendered with poppler; the PNG was looked at by eye during development
    (tone marks and vowels stacked, not colliding). Here: it renders and is not blank."""
    content = build_case_study_pdf(case.pk).content
    png = render_page_png(content, 2, tmp_path / "page2", dpi=60)
    image = Image.open(png).convert("L")
    dark = sum(1 for value in image.getdata() if value < 128)
    assert dark > 0.002 * image.width * image.height


def test_an_unpublished_case_study_is_not_built(case):
    case.is_published = False
    case.save()
    with pytest.raises(kinds.ReportError):
        build_case_study_pdf(case.pk)


def test_any_signed_in_user_may_ask_for_a_published_case_study_but_not_a_hidden_one(case):
    user = UserFactory()
    assert kinds.get_kind("case_study").allowed(user, case.pk)
    hidden = CaseStudyFactory(is_published=False, published_at=None)
    with pytest.raises(kinds.ReportDenied):
        requesting.request_report(user, "case_study", hidden.pk)


def test_the_pdf_reads_no_url_from_the_network(case):
    with pytest.raises(ValueError):
        local_only_fetcher("https://example.com/logo.png")
    with pytest.raises(ValueError):
        local_only_fetcher("file:///etc/passwd")


def test_compendium_has_a_table_of_contents_with_page_numbers(media):
    branch = BranchFactory()
    titles = ["ผลงานต้นแบบด้านสาธารณสุข", "ผลงานต้นแบบด้านการศึกษา", "ผลงานต้นแบบด้านการเกษตร"]
    for title in titles:
        CaseStudyFactory(title=title, year_be=2567, branch=branch, award_level="good")
    CaseStudyFactory(title="ผลงานที่ไม่ได้รับรางวัล", year_be=2567, award_level="not_awarded")
    CaseStudyFactory(title="ผลงานของปีอื่น", year_be=2566)
    built = build_compendium_pdf(2567)
    assert re.fullmatch(r"compendium-2567_25\d\d-\d\d-\d\d\.pdf", built.filename)
    pages = pdf_pages_text(built.content)
    assert skeleton("ผลงานที่ได้รับรางวัลเลิศรัฐ ประจำปี พ.ศ. 2567") in skeleton(pages[0])
    toc = skeleton(pages[1])
    assert skeleton("สารบัญ") in toc
    for title in titles:
        assert skeleton(title) in toc
        # The chapter starts on the page number the table of contents gives.
        line = next(line for line in pages[1].splitlines() if skeleton(title) in skeleton(line))
        number = int(line.rstrip().rsplit(".", 1)[-1].strip())
        assert skeleton(title) in skeleton(pages[number - 1])
    assert not pdf_contains(built.content, "ผลงานที่ไม่ได้รับรางวัล")
    assert not pdf_contains(built.content, "ผลงานของปีอื่น")
    # One outline entry (PDF bookmark) per chapter at least.
    assert len(pdf_reader(built.content).outline) >= len(titles)


def test_compendium_of_an_empty_year_fails_clearly(media):
    with pytest.raises(kinds.ReportError, match="2555"):
        build_compendium_pdf(2555)


def test_compendium_through_the_worker(media, django_capture_on_commit_callbacks, tmp_path):
    CaseStudyFactory(title="ผลงานต้นแบบในหนังสือ", year_be=2567, award_level="good")
    staff = StaffFactory()
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = requesting.request_report(staff, "compendium", 2567)
    report.refresh_from_db()
    try:
        assert report.state == report.State.READY, report.error
        assert pdf_contains(report.file.read(), "ผลงานต้นแบบในหนังสือ")
    finally:
        report.file.delete(save=False)


# --- Photos the worker decodes (issue 11, item 6) -------------------------------------------


def png_declaring(width: int, height: int) -> bytes:
    """A few bytes of PNG whose header declares width×height pixels (no such image data)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data).to_bytes(4, "big")
        return len(data).to_bytes(4, "big") + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def jpeg(size=(640, 360)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 60, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def add_photo(case, name: str, content: bytes, caption: str) -> CasePhoto:
    photo = CasePhoto(case_study=case, caption=caption, order=5)
    photo.image.save(name, ContentFile(content), save=True)
    return photo


def embedded_images(content: bytes) -> int:
    """Distinct pictures in the PDF (pages may share one resource dictionary)."""
    return len({image.data for page in pdf_reader(content).pages for image in page.images})


def test_pillows_decompression_bomb_guard_is_set_explicitly():
    from portal.reports import images

    assert Image.MAX_IMAGE_PIXELS == settings.IMAGE_MAX_PIXELS == images.Image.MAX_IMAGE_PIXELS
    assert settings.IMAGE_MAX_PIXELS <= 50_000_000


def test_a_50000_by_50000_png_is_left_out_with_a_note_not_a_crash(case):
    bomb = png_declaring(50_000, 50_000)
    assert len(bomb) < 200  # cheap to send: a header
    add_photo(case, "bomb.png", bomb, "ภาพที่ประกาศขนาดมหึมา")
    built = build_case_study_pdf(case.pk)
    assert pdf_contains(built.content, "ไม่ได้ใส่ภาพ", "ภาพที่ประกาศขนาดมหึมา", "มากเกินกว่า")
    assert embedded_images(built.content) == 1  # the good photo is still there


def test_just_over_the_pixel_limit_is_refused_before_decoding(settings, media):
    settings.IMAGE_MAX_PIXELS = 1000
    path = media / "wide.png"
    media.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png_declaring(1001, 1))
    with pytest.raises(ImageRefused, match="1001×1"):
        bounded_copy(path)


def test_a_truncated_image_is_left_out_with_a_note(case):
    add_photo(case, "cut.jpg", jpeg((1200, 800))[:2000], "ภาพที่ส่งมาไม่ครบ")
    built = build_case_study_pdf(case.pk)
    assert pdf_contains(built.content, "ไม่ได้ใส่ภาพ", "ภาพที่ส่งมาไม่ครบ", "เสียหาย")
    assert embedded_images(built.content) == 1


def test_a_truncated_image_through_the_worker_gives_a_ready_report_with_the_note(
    case, django_capture_on_commit_callbacks
):
    add_photo(case, "cut.jpg", jpeg((1200, 800))[:2000], "ภาพที่ส่งมาไม่ครบ")
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = requesting.request_report(UserFactory(), "case_study", case.pk)
    report.refresh_from_db()
    try:
        assert report.state == report.State.READY, report.error
        assert pdf_contains(report.file.read(), "ภาพที่ส่งมาไม่ครบ", "เสียหาย")
    finally:
        report.file.delete(save=False)


@pytest.mark.parametrize(
    "name, content",
    [
        ("polyglot.png", b"%PDF-1.4\n<html><script>alert(1)</script></html>"),
        ("openaction.jpg", b"%PDF-1.4\n1 0 obj<</OpenAction<</S/JavaScript/JS(app.alert(1))>>>>"),
        ("ghostscript.jpg", b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n"),
        ("bomb.docx.png", b"PK\x03\x04" + b"\x00" * 200),
    ],
)
def test_what_is_not_an_image_we_decode_is_refused_undecoded(media, name, content):
    media.mkdir(parents=True, exist_ok=True)
    (media / name).write_bytes(content)
    with pytest.raises(ImageRefused, match="ไม่ใช่ภาพชนิดที่รองรับ"):
        bounded_copy(media / name)


def test_a_png_html_polyglot_is_decoded_as_the_png_and_the_html_does_not_survive(media):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 90, 0)).save(buffer, "PNG")
    media.mkdir(parents=True, exist_ok=True)
    path = media / "polyglot.png"
    path.write_bytes(buffer.getvalue() + b"<html><script>alert(document.cookie)</script></html>")
    content, extension = bounded_copy(path)
    assert b"<script>" not in content and extension == "jpg"
    assert Image.open(io.BytesIO(content)).size == (40, 30)


def test_copies_are_bounded_in_size(settings, media):
    settings.IMAGE_MAX_SIDE = 300
    media.mkdir(parents=True, exist_ok=True)
    (media / "large.jpg").write_bytes(jpeg((3000, 1000)))
    content, _ = bounded_copy(media / "large.jpg")
    assert max(Image.open(io.BytesIO(content)).size) <= 300


def test_a_decode_over_the_time_bound_is_refused(settings, media):
    settings.IMAGE_DECODE_SECONDS = 0.0001
    buffer = io.BytesIO()
    Image.effect_noise((3000, 3000), 64).save(buffer, "PNG")
    media.mkdir(parents=True, exist_ok=True)
    (media / "slow.png").write_bytes(buffer.getvalue())
    with pytest.raises(ImageRefused, match="นานเกินกำหนด"):
        bounded_copy(media / "slow.png")


def test_the_pdf_renderer_never_reads_the_media_folder(case):
    path = Path(case.photos.get().image.path)
    with pytest.raises(ValueError):
        local_only_fetcher(path.as_uri())
