"""Spread as data (issue 19): an official records that their agency adopted a model project
(cases/spread.py); the case pages, the API and open data show where it has spread."""

import json
import re

import pytest
from django.urls import reverse

from cases.models import Adoption
from tests.factories import (
    AgencyFactory,
    AssessorFactory,
    CaseStudyFactory,
    StaffFactory,
    UserFactory,
    province,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def model():
    return CaseStudyFactory(title="ธนาคารขยะชุมชน", provinces=[province("TH-50")])


@pytest.fixture
def adopter():
    """An official of another agency that has a model project of its own."""
    official = UserFactory(agency=AgencyFactory(name_th="เทศบาลเมืองทดลองขยายผล"))
    own = CaseStudyFactory(title="ตลาดเขียวของเทศบาล", agency=official.agency)
    return official, own


def adopt_url(case):
    return reverse("cases:adopt", args=[case.slug])


def good_form(**changes):
    return {"year_be": "2568", "province": province("TH-57").pk, "note": "ใช้ทั้งอำเภอ", **changes}


def test_an_adoption_shows_on_both_case_pages_in_the_api_and_the_map(client, model, adopter):
    official, own = adopter
    client.force_login(official)
    assert client.get(adopt_url(model)).status_code == 200
    response = client.post(adopt_url(model), good_form())
    assert response.status_code == 302
    assert response["Location"] == model.get_absolute_url() + "#spread"

    adoption = Adoption.objects.get()
    assert (adoption.agency, adoption.recorded_by, adoption.year_be) == (
        official.agency,
        official,
        2568,
    )
    assert adoption.province.code == "TH-57" and adoption.history.count() == 1

    page = client.get(model.get_absolute_url()).content.decode()
    spread = page[page.index('id="spread"') :]
    assert "เทศบาลเมืองทดลองขยายผล" in spread and "เชียงราย" in spread and "2568" in spread
    # The map: every province drawn, only Chiang Rai marked, named for a pointer's hover.
    assert spread.count("<path ") == 77
    marked = re.findall(r'<path d="[^"]+" class="spread-yes"><title>([^<]+)</title>', spread)
    assert marked == ["เชียงราย: ขยายผล 1 ครั้ง"]
    assert "https://" not in re.sub(r'<a href="https://[^"]+"', "", spread.split("</svg>")[0])

    # The adopting agency's own case page names the model it took up.
    own_page = client.get(own.get_absolute_url()).content.decode()
    assert model.get_absolute_url() in own_page and "ธนาคารขยะชุมชน" in own_page
    assert "เชียงราย, พ.ศ. 2568" in own_page  # where and when

    detail = client.get(f"/api/v1/cases/{model.pk}/").json()
    assert detail["adoptions"] == [
        {
            "id": adoption.pk,
            "agency": {
                "id": official.agency.pk,
                "name": "เทศบาลเมืองทดลองขยายผล",
                "abbreviation": official.agency.abbreviation,
                "url": f"http://testserver/api/v1/agencies/{official.agency.pk}/",
            },
            "province": "TH-57",
            "year_be": 2568,
            "note": "ใช้ทั้งอำเภอ",
        }
    ]
    records = json.loads(client.get("/opendata/adoptions.json").content)["records"]
    assert [(r["case_study_id"], r["agency_id"]) for r in records] == [
        (model.pk, official.agency.pk)
    ]


def test_a_case_without_adoptions_says_so_and_draws_no_map(client, model):
    page = client.get(model.get_absolute_url()).content.decode()
    assert "ยังไม่มีหน่วยงานบันทึกการนำผลงานนี้ไปขยายผล" in page and "<svg" not in page
    assert adopt_url(model) in page


def test_the_agency_is_always_the_officials_own(client, model, adopter):
    official, _own = adopter
    other = AgencyFactory()
    client.force_login(official)
    client.post(adopt_url(model), {**good_form(), "agency": other.pk, "recorded_by": 999})
    adoption = Adoption.objects.get()
    assert adoption.agency == official.agency and adoption.recorded_by == official
    assert not Adoption.objects.filter(agency=other).exists()


@pytest.mark.parametrize("who", ["assessor", "staff", "no agency", "inactive"])
def test_who_is_no_official_of_an_agency_cannot_record(client, model, who):
    user = {
        "assessor": lambda: AssessorFactory(),
        "staff": lambda: StaffFactory(),
        "no agency": lambda: UserFactory(agency=None),
        "inactive": lambda: UserFactory(is_active=False),
    }[who]()
    client.force_login(user)
    assert client.get(adopt_url(model)).status_code in (302, 403)
    assert client.post(adopt_url(model), good_form()).status_code in (302, 403)
    assert not Adoption.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, model):
    response = client.post(adopt_url(model), good_form())
    assert response.status_code == 302 and "/accounts/" in response["Location"]
    assert not Adoption.objects.exists()


def test_an_unpublished_case_cannot_be_adopted(client, adopter):
    hidden = CaseStudyFactory(is_published=False, published_at=None)
    client.force_login(adopter[0])
    assert client.post(adopt_url(hidden), good_form()).status_code == 404
    assert not Adoption.objects.exists()


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"year_be": "abc"}, "ปี พ.ศ. ต้องเป็นตัวเลข 4 หลัก"),
        ({"year_be": "2020"}, "ปี พ.ศ. ต้องอยู่ระหว่าง 2540 ถึง"),
        ({"year_be": "2690"}, "ปี พ.ศ. ต้องอยู่ระหว่าง 2540 ถึง"),
        ({"year_be": ""}, "โปรดกรอกปีที่เริ่มนำไปใช้"),
        ({"province": ""}, "โปรดเลือกจังหวัดที่นำไปใช้"),
        ({"province": "999999"}, "โปรดเลือกจังหวัดจากรายการ"),
        ({"note": "ก" * 501}, "ต้องไม่เกิน 500 ตัวอักษร"),
    ],
)
def test_bad_input_is_a_thai_error_and_saves_nothing(client, model, adopter, changes, message):
    client.force_login(adopter[0])
    response = client.post(adopt_url(model), good_form(**changes))
    assert response.status_code == 200
    html = response.content.decode()
    assert "error-summary" in html and message in html, html[html.find("error-summary") :][:600]
    assert not Adoption.objects.exists()


def test_the_same_place_twice_and_ones_own_model_are_refused(client, model, adopter):
    official, own = adopter
    client.force_login(official)
    client.post(adopt_url(model), good_form())
    again = client.post(adopt_url(model), good_form(note="อีกครั้ง"))
    assert "บันทึกการนำผลงานนี้ไปขยายผลในจังหวัดนี้ไว้แล้ว" in again.content.decode()
    mine = client.post(adopt_url(own), good_form())
    assert "ไม่ต้องบันทึกการขยายผลของผลงานตนเอง" in mine.content.decode()
    assert Adoption.objects.count() == 1


def test_the_case_page_and_the_form_are_thai(client, model, adopter):
    from tests.portal.test_no_english import english_on, visible_text

    official, _own = adopter
    client.force_login(official)
    client.post(adopt_url(model), good_form())
    for url in (model.get_absolute_url(), adopt_url(model)):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="th").content.decode()
        assert english_on(visible_text(page)) == [], url
    page = client.post(adopt_url(model), good_form(year_be="x")).content.decode()
    assert english_on(visible_text(page)) == []
