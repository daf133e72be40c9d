"""On-site evidence (awards/site_visit_evidence.py, the site-visit admin's evidence page; issue
18 item 5): photos and files checked by content and size and stored privately, a checklist
that is data per cycle or category ticked per visit — recorded and seen by the visit's panel
and staff only, never by another panel's assessor or the visited agency."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from awards import assessment, scoring, site_visit_evidence
from awards.models import (
    EntryState,
    SiteVisitCheck,
    SiteVisitChecklistItem,
    SiteVisitEvidence,
)
from tests.awards.entry_helpers import PNG_BYTES, pdf, private_files  # noqa: F401
from tests.factories import (
    AdminAssessorFactory,
    AdminStaffFactory,
    CategoryFactory,
    PanelFactory,
    ScreeningEntryFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.ADMIN_REQUIRE_2FA = False


@pytest.fixture
def visit():
    staff = AdminStaffFactory()
    entry = ScreeningEntryFactory(state=EntryState.SHORTLISTED)
    panel = PanelFactory(cycle=entry.category.cycle, chair=AdminAssessorFactory())
    panel.members.add(AdminAssessorFactory())
    visit, _outcome = assessment.schedule_site_visit(
        entry, panel, timezone.now(), staff, place="ศาลากลาง"
    )
    return visit


def member(visit):
    return visit.panel.members.get()


def photo(name="หน้าอาคาร.png", content=PNG_BYTES):
    return SimpleUploadedFile(name, content, content_type="image/png")


def evidence_url(visit):
    return reverse("admin:awards_site_visit_evidence", args=[visit.pk])


def test_the_panel_adds_photos_and_files_checked_by_content(visit):
    saved = site_visit_evidence.add_evidence(visit, photo(), member(visit), "จุดบริการ")
    assert (saved.content_type, saved.size, saved.uploaded_by) == (
        "image/png", len(PNG_BYTES), member(visit),
    )  # fmt: skip
    assert saved.file.name.startswith(f"site-visits/{visit.entry.public_id}/")
    assert "หน้าอาคาร" not in saved.file.name  # a generated name, never the uploader's
    site_visit_evidence.add_evidence(visit, pdf(), visit.panel.chair)
    for upload, message in [
        (photo("รูป.png", b"not an image at all"), "ไม่ใช่ชนิดที่รับ"),
        (photo("ว่าง.png", b""), "ว่างเปล่า"),
    ]:
        with pytest.raises(site_visit_evidence.EvidenceError, match=message):
            site_visit_evidence.add_evidence(visit, upload, member(visit))
    assert SiteVisitEvidence.objects.count() == 2


def test_a_file_over_the_size_limit_is_refused(visit, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(site_visit_evidence.EvidenceError, match="ใหญ่เกินกำหนด"):
        site_visit_evidence.add_evidence(
            visit, photo(content=PNG_BYTES + b"\0" * 200), member(visit)
        )
    assert not SiteVisitEvidence.objects.exists()


def test_only_the_panel_and_staff_record_and_only_until_the_decision(visit):
    outsider = AdminAssessorFactory()
    official = visit.entry.created_by
    for user in (outsider, official):
        with pytest.raises(site_visit_evidence.EvidenceError, match="เฉพาะคณะผู้ตรวจประเมิน"):
            site_visit_evidence.add_evidence(visit, photo(), user)
    site_visit_evidence.add_evidence(visit, photo(), AdminStaffFactory())
    scoring.consolidate_site_visit(visit, visit.panel.chair, 80, "ดี", "good")
    scoring.record_decision(visit.entry, "good", AdminStaffFactory())
    with pytest.raises(site_visit_evidence.EvidenceError):
        site_visit_evidence.add_evidence(visit, photo(), member(visit))
    assert SiteVisitEvidence.objects.count() == 1


def test_the_checklist_is_the_cycles_and_the_categorys_items_ticked_per_visit(visit):
    cycle, category = visit.entry.category.cycle, visit.entry.category
    everyone = SiteVisitChecklistItem.objects.create(
        cycle=cycle, order=1, text_th="ตรวจหลักฐานผลลัพธ์ตามที่รายงาน"
    )
    own = SiteVisitChecklistItem.objects.create(
        cycle=cycle, category=category, order=2, text_th="สัมภาษณ์ผู้รับบริการ"
    )
    other = SiteVisitChecklistItem.objects.create(
        cycle=cycle, category=CategoryFactory(cycle=cycle), text_th="ของประเภทอื่น"
    )
    assert [item for item, _check in site_visit_evidence.checklist(visit)] == [everyone, own]

    site_visit_evidence.record_checklist(
        visit, {everyone.pk: (True, "ครบถ้วน"), own.pk: (False, "")}, member(visit)
    )
    [check] = SiteVisitCheck.objects.all()
    assert (check.item, check.done, check.note) == (everyone, True, "ครบถ้วน")
    assert check.history.first().history_user == member(visit)
    # An item of another category, or a note too long: refused, nothing saved.
    for ticked, message in [
        ({other.pk: (True, "")}, "ไม่ใช่ของการลงพื้นที่นี้"),
        ({own.pk: (True, ""), everyone.pk: (True, "ก" * 501)}, "ต้องไม่เกิน 500 ตัวอักษร"),
    ]:
        with pytest.raises(site_visit_evidence.EvidenceError, match=message):
            site_visit_evidence.record_checklist(visit, ticked, member(visit))
    assert SiteVisitCheck.objects.count() == 1


def test_the_panel_works_on_the_evidence_page_in_the_admin(client, visit):
    item = SiteVisitChecklistItem.objects.create(
        cycle=visit.entry.category.cycle, text_th="ตรวจสถานที่ให้บริการจริง"
    )
    client.force_login(member(visit))
    change = client.get(reverse("admin:awards_sitevisit_change", args=[visit.pk]))
    assert evidence_url(visit) in change.content.decode()
    page = client.get(evidence_url(visit)).content.decode()
    assert "ตรวจสถานที่ให้บริการจริง" in page and f'for="done-{item.pk}"' in page

    refused = client.post(evidence_url(visit), {"do": "upload", "file": photo("x.png", b"MZ..")})
    assert refused.status_code == 200 and "ไม่ใช่ชนิดที่รับ" in refused.content.decode()
    assert not SiteVisitEvidence.objects.exists()
    response = client.post(
        evidence_url(visit), {"do": "upload", "file": photo(), "description": "ป้ายจุดบริการ"}
    )
    assert response.status_code == 302
    response = client.post(
        evidence_url(visit),
        {"do": "checklist", f"done-{item.pk}": "on", f"note-{item.pk}": "พบจริง"},
    )
    assert response.status_code == 302
    assert SiteVisitCheck.objects.get().done

    evidence = SiteVisitEvidence.objects.get()
    file_url = reverse("admin:awards_site_visit_evidence_file", args=[visit.pk, evidence.pk])
    assert file_url in client.get(evidence_url(visit)).content.decode()
    download = client.get(file_url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG_BYTES
    assert download["X-Content-Type-Options"] == "nosniff"

    # Another panel's assessor: the page and the file do not exist for them.
    client.force_login(AdminAssessorFactory())
    assert client.get(evidence_url(visit)).status_code == 404
    assert client.get(file_url).status_code == 404
    assert client.post(evidence_url(visit), {"do": "upload", "file": photo()}).status_code == 404
    # The visited agency's official never gets into the admin.
    client.force_login(visit.entry.created_by)
    assert client.get(file_url).status_code == 302
    assert SiteVisitEvidence.objects.count() == 1
