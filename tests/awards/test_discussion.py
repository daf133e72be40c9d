"""awards/discussion.py and its admin page: an entry's discussion is read and written only by
its own assessors and staff (another assessor gets a 404), an empty remark is refused in Thai,
the chair of its screening panel writes the consensus note, which the ranking shows."""

import pytest
from django.urls import reverse

from awards import assessment, discussion
from awards.discussion import DiscussionError
from awards.models import AssessmentRound, ConsensusNote, PanelComment
from tests.factories import (
    AdminAssessorFactory,
    AdminStaffFactory,
    PanelFactory,
    ScreeningEntryFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.ADMIN_REQUIRE_2FA = False


@pytest.fixture
def panel_on_entry():
    staff = AdminStaffFactory()
    entry = ScreeningEntryFactory()
    chair, member = AdminAssessorFactory(), AdminAssessorFactory()
    panel = PanelFactory(cycle=entry.category.cycle, chair=chair)
    panel.members.add(member)
    assessment.assign_to_panel([entry], panel, AssessmentRound.SCREENING, staff)
    return entry, chair, member, staff


def test_only_the_entrys_panel_and_staff_discuss_it(client, panel_on_entry):
    entry, chair, member, staff = panel_on_entry
    url = reverse("admin:awards_entry_discussion", args=[entry.pk])
    client.force_login(member)
    client.post(url, {"do": "comment", "body": "เอกสารหลักฐานตัวชี้วัดยังไม่ครบ"})
    assert PanelComment.objects.get().author == member
    response = client.post(url, {"do": "comment", "body": "   "})
    assert "กรุณาพิมพ์ความเห็น" in response.content.decode()
    assert PanelComment.objects.count() == 1
    client.force_login(staff)
    assert "เอกสารหลักฐานตัวชี้วัดยังไม่ครบ" in client.get(url).content.decode()
    outsider = AdminAssessorFactory()
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.post(url, {"do": "comment", "body": "แอบดู"}).status_code == 404
    assert not discussion.comments(outsider, entry).exists()
    with pytest.raises(DiscussionError, match="เฉพาะผู้ตรวจประเมินของผลงานนี้"):
        discussion.post_comment(entry, outsider, "แอบดู")
    assert client.get(reverse("admin:awards_entry_discussion", args=[999999])).status_code == 404


def test_the_chair_writes_the_consensus_that_the_ranking_shows(client, panel_on_entry):
    entry, chair, member, staff = panel_on_entry
    with pytest.raises(DiscussionError, match="เฉพาะประธานคณะ"):
        discussion.write_consensus(entry, member, "ผ่าน")
    url = reverse("admin:awards_entry_discussion", args=[entry.pk])
    client.force_login(chair)
    response = client.post(url, {"do": "consensus", "note": ""})
    assert "กรุณาพิมพ์ข้อสรุปของคณะ" in response.content.decode()
    client.post(url, {"do": "consensus", "note": "คณะเห็นพ้องให้ผ่านเข้ารอบลงพื้นที่"})
    client.post(url, {"do": "consensus", "note": "คณะเห็นพ้องให้ผ่านเข้ารอบลงพื้นที่ (แก้ไข)"})
    note = ConsensusNote.objects.get()
    assert (note.written_by, note.note) == (chair, "คณะเห็นพ้องให้ผ่านเข้ารอบลงพื้นที่ (แก้ไข)")
    client.force_login(staff)
    ranking = client.get(reverse("admin:awards_entry_ranking"), {"category": entry.category.pk})
    assert "คณะเห็นพ้องให้ผ่านเข้ารอบลงพื้นที่ (แก้ไข)" in ranking.content.decode()
    assessment.shortlist([entry], staff)
    entry.refresh_from_db()
    with pytest.raises(DiscussionError):  # after the decision, the note stands
        discussion.write_consensus(entry, chair, "เปลี่ยนใจ")


def test_an_assessors_data_download_holds_their_remarks_expertise_and_days(panel_on_entry):
    import datetime

    from awards.models import AssessorProfile, Unavailability
    from awards.personal_data import personal_data

    entry, _chair, member, _staff = panel_on_entry
    discussion.post_comment(entry, member, "ขอเอกสารเพิ่มเติม")
    AssessorProfile.objects.create(assessor=member, region="north")
    day = datetime.date(2027, 7, 1)
    Unavailability.objects.create(assessor=member, starts_on=day, ends_on=day, reason="ลา")
    data = personal_data(member)
    assert data["panel_comments"][0]["body"] == "ขอเอกสารเพิ่มเติม"
    assert data["expertise"] == [{"branches": [], "region": "north"}]
    assert data["unavailable_days"] == [{"from": day, "to": day, "reason": "ลา"}]
