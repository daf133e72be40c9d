import pytest
from django.db import IntegrityError, transaction

from portal.accounts.models import MembershipRequest
from portal.agencies.models import SDG, Agency, Province
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_all_77_provinces_and_17_sdgs_are_reference_data():
    assert Province.objects.count() == 77
    assert Province.objects.get(code="TH-10").name_th == "กรุงเทพมหานคร"
    assert SDG.objects.count() == 17


def test_agency_tree_ancestors():
    ministry = AgencyFactory(name_th="กระทรวงมหาดไทย", kind="ministry")
    department = AgencyFactory(name_th="กรมการพัฒนาชุมชน", parent=ministry)
    division = AgencyFactory(name_th="สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่", parent=department)
    assert division.ancestors() == [ministry, department]


def test_an_agency_cannot_be_its_own_parent_in_the_database():
    agency = AgencyFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.filter(pk=agency.pk).update(parent=agency.pk)


def test_agency_thai_name_is_unique():
    AgencyFactory(name_th="กรมป่าไม้")
    with pytest.raises(IntegrityError), transaction.atomic():
        AgencyFactory(name_th="กรมป่าไม้")


def test_sdg_number_is_1_to_17_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        SDG.objects.create(number=18, name_th="x", name_en="x")


def test_one_pending_membership_request_per_user():
    user = UserFactory(agency=None)
    MembershipRequest.objects.create(user=user, agency=AgencyFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipRequest.objects.create(user=user, agency=AgencyFactory())


def test_decided_membership_request_needs_a_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipRequest.objects.create(
            user=UserFactory(), agency=AgencyFactory(), state=MembershipRequest.State.APPROVED
        )


def test_user_email_is_unique():
    UserFactory(email="same@example.go.th")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(email="same@example.go.th")


def test_an_agency_with_members_cannot_be_deleted():
    from django.db.models import ProtectedError

    user = UserFactory()
    with pytest.raises(ProtectedError):
        user.agency.delete()


@pytest.mark.django_db(transaction=True)
def test_reference_data_survives_a_flush():
    # Transactional tests end with `flush`; later tests still find every province and SDG.
    from django.core.management import call_command

    call_command("flush", "--noinput", verbosity=0)
    assert Province.objects.count() == 77
    assert SDG.objects.count() == 17
