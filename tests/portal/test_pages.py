import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from tests.factories import CaseStudyFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_home_page_is_thai_with_a_buddhist_era_year(client):
    CaseStudyFactory(title="ขาเทียมพิมพ์สามมิติ", year_be=2567)
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="th">' in html
    assert "ผลงานเลิศรัฐ" in html
    assert "ขาเทียมพิมพ์สามมิติ" in html
    assert "พ.ศ. 2567" in html


def test_base_layout_is_accessible_and_self_hosted(client):
    html = client.get("/").content.decode()
    assert 'class="skip-link" href="#main"' in html
    assert 'id="main"' in html
    assert 'aria-label="เมนูหลัก"' in html
    assert "/static/fonts/sarabun-thai-400-normal.woff2" in html
    assert "http://" not in html.replace("http://testserver", "") and "//cdn" not in html


def test_language_switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert '<html lang="en">' in response.content.decode()


def test_unknown_page_is_a_thai_404(client):
    response = client.get("/cases/no-such-case/")
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in response.content.decode()


def test_unpublished_case_is_not_public(client):
    case = CaseStudyFactory(is_published=False, published_at=None)
    assert client.get(case.get_absolute_url()).status_code == 404


# Edited inline under their parent (Panel, ScoreSheet, CaseStudy, EntryForm, Criterion,
# Category, Feedback), or (SearchWord, FacetCount) written only by the search indexing, or
# (EligibilityAnswer) the record an entry keeps of how it was started, read-only on its entry,
# or (a visit's checklist ticks and evidence files) recorded on the site visit's evidence page.
MODELS_NOT_IN_ADMIN = {
    "PanelMember", "Score", "CasePhoto", "CaseDocument", "SearchWord", "FacetCount", "FormSection",
    "Question",
    "CriterionLevel", "EligibilityQuestion", "EligibilityRule", "FeedbackPoint",
    "EligibilityAnswer", "SiteVisitCheck", "SiteVisitEvidence",
}  # fmt: skip


def test_every_domain_model_is_in_the_admin():
    missing = [
        model.__name__
        for app in ("portal", "awards", "cases")
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
        and model.__name__ not in MODELS_NOT_IN_ADMIN
        and model not in admin.site._registry
    ]
    assert missing == []


def test_every_admin_list_and_add_page_opens_for_a_superuser(client):
    client.force_login(StaffFactory(is_superuser=True))
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in ("portal", "awards", "cases"):
            continue
        info = (model._meta.app_label, model._meta.model_name)
        response = client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert response.status_code == 200, info
        # Records made only by the domain (score sheets, audit rows…) have no add page.
        if model_admin.has_add_permission(response.wsgi_request):
            assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200, info


def test_officials_have_no_admin_access(client):
    client.force_login(UserFactory())
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_pages_stay_thai_for_an_english_browser_until_english_is_picked(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="th">' in html
    client.cookies["django_language"] = "en"
    assert '<html lang="en">' in client.get("/").content.decode()
