"""The public site's polish (issue 19, item 4): award levels in rank order, the results page's
type column, the header, the icons, and what a case page tells search engines and chat apps
(JSON-LD, og:image)."""

import datetime
import io
import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.urls import reverse
from PIL import Image

from cases import cards, listing
from cases.models import CasePhoto
from tests.factories import AgencyFactory, BranchFactory, CaseStudyFactory, CategoryFactory

pytestmark = pytest.mark.django_db

RANK = ["honour", "outstanding", "good"]


# --- Award levels in rank order --------------------------------------------------------------


def test_award_level_facet_is_in_rank_order_not_by_count(client, thai_cases):
    # thai_cases: two "good", one "outstanding", one "honour" — by count "good" would lead.
    levels = next(f for f in listing.cases(QueryDict("")).facets if f["param"] == "level")
    assert [v["value"] for v in levels["values"]] == RANK
    assert [v["count"] for v in levels["values"]] == [1, 1, 2]
    html = client.get(reverse("cases:case_list")).content.decode()
    panel = html[html.index('id="facet-level"') :]
    positions = [panel.index(f'value="{level}"') for level in RANK]
    assert positions == sorted(positions)


def test_results_page_lists_levels_in_rank_order_and_fills_the_type_column(client, db):
    branch = BranchFactory(name_th="สาขาบริการภาครัฐ")
    category = CategoryFactory(branch=branch, name_th="นวัตกรรมการบริการ", cycle__year_be=2567)
    for title, level in [("ข ดี", "good"), ("ก ดีเด่น", "outstanding"),
                         ("ค เกียรติยศ", "honour")]:  # fmt: skip
        CaseStudyFactory(
            title=title, year_be=2567, branch=branch, category=category, award_level=level
        )
    CaseStudyFactory(title="ง ไม่มีประเภท", year_be=2567, branch=branch, award_level="good")
    html = client.get(reverse("cases:cycle_results", args=[2567])).content.decode()
    table = html[html.index("<table") : html.index("</table>")]
    rows = re.findall(r"<tr><td>.*?</tr>", table)
    assert [re.search(r'">([^<]+)</a></td>', r).group(1) for r in rows] == [
        "ค เกียรติยศ", "ก ดีเด่น", "ข ดี", "ง ไม่มีประเภท"
    ]  # fmt: skip
    assert '<th scope="col">ประเภท</th>' in table
    assert all(len(re.findall(r"<td[ >]", r)) == 4 for r in rows)  # cells carry a data-label
    assert not re.search(r"<td[^>]*></td>", table)
    assert rows[0].count("นวัตกรรมการบริการ") == 1
    assert '<td data-label="ประเภท">ไม่ระบุ</td>' in rows[3]


def test_results_page_drops_a_type_column_no_row_could_fill(client, db):
    # Past winners imported without their year's categories in the database.
    CaseStudyFactory(year_be=2562, award_level="outstanding")
    html = client.get(reverse("cases:cycle_results", args=[2562])).content.decode()
    table = html[html.index("<table") : html.index("</table>")]
    assert "ประเภท" not in table and not re.search(r"<td[^>]*></td>", table)


def test_agency_page_lists_awards_in_rank_order(client, db):
    agency = AgencyFactory()
    for level in ("good", "honour", "outstanding"):
        CaseStudyFactory(agency=agency, year_be=2567, award_level=level)
    response = client.get(reverse("cases:agency_detail", args=[agency.pk]))
    assert [a["award_level"] for a in response.context["awards"]] == RANK


# --- Header, icons -----------------------------------------------------------------------------


def test_header_links_every_public_section_and_the_language_switch(client, db):
    html = client.get(reverse("cases:case_list")).content.decode()
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    for url in ("/cases/", "/lessons/", "/results/", "/opendata/", "/api/docs/"):
        assert f'href="{url}"' in header, url
    assert 'href="/cases/" aria-current="page"' in header
    assert 'aria-controls="site-menu" aria-expanded="false"' in header
    assert 'action="/i18n/setlang/"' in header
    assert 'value="en" lang="en"' in header


def test_favicon_app_icons_and_manifest_are_the_portals_own(client, db):
    html = client.get("/").content.decode()
    for name in ("img/favicon.ico", "img/icon.svg", "img/icon-180.png", "site.webmanifest"):
        assert f'href="/static/{name}"' in html, name
        assert finders.find(name), name
    manifest = json.loads(open(finders.find("site.webmanifest"), encoding="utf-8").read())
    assert manifest["lang"] == "th" and manifest["start_url"] == "/"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512", "any"} <= sizes
    for icon in manifest["icons"]:
        path = finders.find(icon["src"])
        assert path, icon["src"]
        if icon["type"] == "image/png":
            assert Image.open(path).size == tuple(map(int, icon["sizes"].split("x")))
    assert Image.open(finders.find("img/icon-180.png")).size == (180, 180)
    assert open(finders.find("img/icon.svg"), encoding="utf-8").read().startswith("<svg")


# --- JSON-LD and og:image --------------------------------------------------------------------


def json_ld(html: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def meta(html: str, prop: str) -> str:
    return re.search(rf'<meta property="{prop}" content="([^"]*)"', html).group(1)


def test_case_page_carries_schema_org_article_with_award_agency_and_dates(client, db):
    agency = AgencyFactory(name_th="โรงพยาบาลขอนแก่น", name_en="Khon Kaen Hospital")
    case = CaseStudyFactory(
        title="ลดเวลารอคอยผู้ป่วยนอก </script><script>alert(1)</script>",
        summary="จองคิวล่วงหน้าและรับยาใกล้บ้าน",
        agency=agency,
        year_be=2567,
        award_level="outstanding",
    )
    html = client.get(case.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html  # the title cannot close the data block
    data = json_ld(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Article"
    for required in ("headline", "name", "description", "url", "image", "datePublished",
                     "dateModified", "author", "publisher", "award", "inLanguage"):  # fmt: skip
        assert data[required], required
    assert data["name"] == case.title
    assert data["url"] == f"http://testserver{case.get_absolute_url()}"
    assert data["award"] == "รางวัลเลิศรัฐ ระดับดีเด่น ประจำปี พ.ศ. 2567"
    assert data["author"] == {
        "@type": "GovernmentOrganization",
        "name": "โรงพยาบาลขอนแก่น",
        "url": f"http://testserver/agencies/{agency.pk}/",
    }
    assert data["publisher"]["@type"] == "GovernmentOrganization"
    published = datetime.datetime.fromisoformat(data["datePublished"])
    assert published == case.published_at
    assert datetime.datetime.fromisoformat(data["dateModified"]) >= published
    assert data["image"] == [meta(html, "og:image")]


def test_json_ld_is_thai_on_the_english_page_too(client, db):
    case = CaseStudyFactory(year_be=2566, award_level="honour", agency=None)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(case.get_absolute_url()).content.decode()
    assert '<html lang="en">' in html
    data = json_ld(html)
    assert data["award"] == "รางวัลเลิศรัฐ รางวัลเกียรติยศเลิศรัฐ ประจำปี พ.ศ. 2566"
    assert data["author"] == data["publisher"]  # no agency: the award's publisher


def test_og_image_without_a_photo_is_a_served_card_with_the_title(client, db):
    case = CaseStudyFactory(title="ป่าชุมชนสร้างรายได้บนพื้นที่สูง (Smart Forest)")
    html = client.get(case.get_absolute_url()).content.decode()
    image = meta(html, "og:image")
    assert image.startswith(f"http://testserver/cases/{case.slug}/card.png?v=")
    response = client.get(image.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "public" in response["Cache-Control"]
    png = Image.open(io.BytesIO(response.content))
    assert png.size == (1200, 630)
    # The same card again comes from the cache, byte for byte.
    assert client.get(image.removeprefix("http://testserver")).content == response.content


def test_card_of_an_unpublished_case_is_not_served(client, db):
    case = CaseStudyFactory(is_published=False, published_at=None)
    assert client.get(reverse("cases:case_card", args=[case.slug])).status_code == 404


def test_og_image_is_the_first_photo_when_there_is_one(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = CaseStudyFactory()
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "PNG")
    for order in (2, 1):
        CasePhoto.objects.create(
            case_study=case,
            caption=f"ภาพ {order}",
            order=order,
            image=SimpleUploadedFile(f"p{order}.png", buffer.getvalue(), "image/png"),
        )
    first = case.photos.order_by("order").first()
    html = client.get(case.get_absolute_url()).content.decode()
    assert meta(html, "og:image") == f"http://testserver{first.image.url}"
    assert json_ld(html)["image"] == [f"http://testserver{first.image.url}"]


def test_card_breaks_thai_between_words_and_shortens_a_long_title():
    font = cards._font(700, 64)
    title = "ลดเวลารอคอยผู้ป่วยนอกด้วยระบบนัดหมายและคิวออนไลน์ (Smart OPD)"
    lines = cards.wrap(title, font, 1040)
    assert len(lines) > 1
    assert "".join(lines).replace(" ", "") == title.replace(" ", "")
    assert all(font.getlength(line) <= 1040 for line in lines)
    long = cards.wrap(title * 10, font, 1040)
    assert len(long) == cards.MAX_LINES and long[-1].endswith("…")


def test_a_case_pages_head_kept_with_its_page_follows_an_edit_the_language_and_the_address(
    client, db, settings, tmp_path, django_capture_on_commit_callbacks
):
    """The head (title, link preview, JSON-LD) is kept by the case's own generation: an edit,
    a photo added, the reader's language and the address it was asked at each show anew."""
    settings.MEDIA_ROOT = tmp_path
    agency = AgencyFactory(name_th="โรงพยาบาลขอนแก่น", name_en="Khon Kaen Hospital")
    case = CaseStudyFactory(title="ชื่อเดิม", agency=agency)
    url = case.get_absolute_url()
    assert json_ld(client.get(url).content.decode())["name"] == "ชื่อเดิม"
    case.title = "ชื่อใหม่หลังแก้ไข"
    with django_capture_on_commit_callbacks(execute=True):
        case.save()
    html = client.get(url).content.decode()
    assert "<title>ชื่อใหม่หลังแก้ไข" in html and meta(html, "og:title") == "ชื่อใหม่หลังแก้ไข"
    assert json_ld(html)["name"] == "ชื่อใหม่หลังแก้ไข"
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "PNG")
    with django_capture_on_commit_callbacks(execute=True):
        photo = CasePhoto.objects.create(
            case_study=case, caption="ภาพ", order=1,
            image=SimpleUploadedFile("p.png", buffer.getvalue(), "image/png"),
        )  # fmt: skip
    assert meta(client.get(url).content.decode(), "og:image").endswith(photo.image.url)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert json_ld(client.get(url).content.decode())["author"]["name"] == "Khon Kaen Hospital"
    settings.ALLOWED_HOSTS = ["*"]
    elsewhere = client.get(url, HTTP_HOST="portal.example.go.th").content.decode()
    assert json_ld(elsewhere)["url"] == f"http://portal.example.go.th{url}"
