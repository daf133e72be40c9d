"""The assisted-assignment screen: staff propose, preview and commit (recorded, idempotent on
a second post), undo before scoring; bad settings get a Thai error and nothing is saved;
assessors never reach it."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from awards.models import AssessmentRound, Assignment, AssignmentBatch, ConflictDeclaration
from bench.bench_assignment import make_cycle
from tests.factories import AdminAssessorFactory, AdminStaffFactory

pytestmark = pytest.mark.django_db
URL = reverse("admin:awards_assignmentbatch_propose")


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.ADMIN_REQUIRE_2FA = False


@pytest.fixture
def made():
    made = make_cycle(8, 5, seed=11)
    ConflictDeclaration.objects.filter(assessor__in=made.assessors).delete()
    return made


def settings_for(made, per_entry=2, cap=10):
    return {
        "category": made.category.pk,
        "round": AssessmentRound.SCREENING,
        "per_entry": per_entry,
        "cap": cap,
    }


def test_staff_preview_then_commit_then_undo(client, made):
    staff = AdminStaffFactory()
    client.force_login(staff)
    preview = client.get(URL, settings_for(made))
    assert preview.status_code == 200
    proposal = preview.context["proposal"]
    assert len(proposal.pairs) == 16
    html = preview.content.decode()
    assert 'id="loads"' in html and 'id="coverage"' in html
    assert not Assignment.objects.exists()  # a preview saves nothing

    ticked = [f"{e}:{a}" for e, a in proposal.pairs][1:]  # staff drop one pair
    post = {**settings_for(made), "proposal": str(proposal.key), "pair": ticked}
    response = client.post(URL, post)
    batch = AssignmentBatch.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:awards_assignmentbatch_change", args=[batch.pk])
    assert Assignment.objects.filter(batch=batch).count() == 15
    assert batch.committed_by == staff
    client.post(URL, post)  # the same form again: nothing more
    assert AssignmentBatch.objects.count() == 1 and Assignment.objects.count() == 15

    changelist = reverse("admin:awards_assignmentbatch_changelist")
    client.post(changelist, {"action": "undo", "_selected_action": [batch.pk]})
    assert not Assignment.objects.exists()
    batch.refresh_from_db()
    assert batch.undone_by == staff


def test_bad_settings_and_a_forged_proposal_save_nothing(client, made):
    client.force_login(AdminStaffFactory())
    response = client.get(URL, settings_for(made, per_entry=0, cap=999))
    assert response.status_code == 200 and "proposal" not in response.context
    errors = response.context["form"].errors
    assert set(errors) == {"per_entry", "cap"}
    assert "มากกว่าหรือเท่ากับ 1" in " ".join(errors["per_entry"])
    response = client.post(URL, {**settings_for(made), "proposal": "not-a-uuid", "pair": "1:2"})
    assert "ข้อเสนอไม่ถูกต้อง" in str(list(get_messages(response.wsgi_request))[0])
    response = client.post(URL, {**settings_for(made), "proposal": "", "category": "x"})
    assert response.status_code == 200 and not AssignmentBatch.objects.exists()
    assert not Assignment.objects.exists()


def test_assessors_never_reach_the_screen_nor_the_batches(client, made):
    client.force_login(AdminAssessorFactory())
    assert client.get(URL, settings_for(made)).status_code == 403
    assert client.post(URL, {**settings_for(made), "proposal": ""}).status_code == 403
    assert client.get(reverse("admin:awards_assignmentbatch_changelist")).status_code == 403
