import pytest
from django.urls import reverse

from portal.accounts.models import MembershipRequest
from tests.factories import AgencyFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_staff_approve_in_the_admin_through_the_membership_rule(client):
    agency = AgencyFactory()
    applicant = UserFactory(agency=None)
    request_ = MembershipRequest.objects.create(user=applicant, agency=agency)
    staff = StaffFactory(is_superuser=True)
    client.force_login(staff)
    response = client.post(
        reverse("admin:portal_membershiprequest_changelist"),
        {"action": "approve", "_selected_action": [request_.pk]},
        follow=True,
    )
    assert response.status_code == 200
    request_.refresh_from_db()
    applicant.refresh_from_db()
    assert request_.state == MembershipRequest.State.APPROVED
    assert (request_.decided_by, applicant.agency) == (staff, agency)


def test_the_state_cannot_be_edited_directly_in_the_admin(client):
    request_ = MembershipRequest.objects.create(
        user=UserFactory(agency=None), agency=AgencyFactory()
    )
    client.force_login(StaffFactory(is_superuser=True))
    url = reverse("admin:portal_membershiprequest_change", args=[request_.pk])
    form = client.get(url).content.decode()
    assert 'name="state"' not in form
