"""Case study and compendium PDFs (cases/reports.py): open the files and read them back."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from awards.models import AwardLevel
from cases.models import CasePhoto
from cases.reports import build_case_study_pdf, build_compendium_pdf
from portal import reports
from portal.pdf import local_only_fetcher
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
        award_level=AwardLevel.OUTSTANDING,
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
    assert built.filename == f"case-study-{case.pk}.pdf"
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
    with pytest.raises(reports.ReportError):
        build_case_study_pdf(case.pk)


def test_any_signed_in_user_may_ask_for_a_published_case_study_but_not_a_hidden_one(case):
    user = UserFactory()
    assert reports.get_kind("case_study").allowed(user, case.pk)
    hidden = CaseStudyFactory(is_published=False, published_at=None)
    with pytest.raises(reports.ReportDenied):
        reports.request_report(user, "case_study", hidden.pk)


def test_the_pdf_reads_no_url_from_the_network(case):
    with pytest.raises(ValueError):
        local_only_fetcher("https://example.com/logo.png")
    with pytest.raises(ValueError):
        local_only_fetcher("file:///etc/passwd")


def test_compendium_has_a_table_of_contents_with_page_numbers(media):
    branch = BranchFactory()
    titles = ["ผลงานต้นแบบด้านสาธารณสุข", "ผลงานต้นแบบด้านการศึกษา", "ผลงานต้นแบบด้านการเกษตร"]
    for title in titles:
        CaseStudyFactory(title=title, year_be=2567, branch=branch, award_level=AwardLevel.GOOD)
    CaseStudyFactory(title="ผลงานที่ไม่ได้รับรางวัล", year_be=2567, award_level="not_awarded")
    CaseStudyFactory(title="ผลงานของปีอื่น", year_be=2566)
    built = build_compendium_pdf(2567)
    assert built.filename == "compendium-2567.pdf"
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
    with pytest.raises(reports.ReportError, match="2555"):
        build_compendium_pdf(2555)


def test_compendium_through_the_worker(media, django_capture_on_commit_callbacks, tmp_path):
    CaseStudyFactory(title="ผลงานต้นแบบในหนังสือ", year_be=2567, award_level=AwardLevel.GOOD)
    staff = StaffFactory()
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = reports.request_report(staff, "compendium", 2567)
    report.refresh_from_db()
    try:
        assert report.state == report.State.READY, report.error
        assert pdf_contains(report.file.read(), "ผลงานต้นแบบในหนังสือ")
    finally:
        report.file.delete(save=False)
