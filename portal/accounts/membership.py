"""Asking to join an agency, and deciding those requests (staff, or the agency's coordinator)."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import MembershipRequest, User
from portal.agencies.models import Agency

from .exceptions import AccountError


def search_agencies(query: str, limit: int = 20) -> QuerySet[Agency]:
    """Agencies whose Thai name, English name or abbreviation contains the query."""
    query = (query or "").strip()
    if not query:
        return Agency.objects.none()
    return (
        Agency.objects.filter(is_active=True)
        .filter(
            Q(name_th__icontains=query)
            | Q(abbreviation__icontains=query)
            | Q(name_en__icontains=query)
        )
        .select_related("parent__parent")
        .order_by("name_th")[:limit]
    )


def pending_request(user) -> MembershipRequest | None:
    return user.membership_requests.filter(state=MembershipRequest.State.PENDING).first()


@transaction.atomic
def request_membership(user: User, agency: Agency, note: str = "") -> MembershipRequest:
    if user.agency_id:
        raise AccountError(_("บัญชีนี้เป็นสมาชิกของหน่วยงานแล้ว"))
    if not agency.is_active:
        raise AccountError(_("หน่วยงานนี้ไม่ได้ดำเนินงานแล้ว"))
    if pending_request(user) is not None:
        raise AccountError(_("มีคำขอที่รออนุมัติอยู่แล้ว โปรดรอผลการพิจารณา"))
    try:
        with transaction.atomic():
            return MembershipRequest.objects.create(user=user, agency=agency, note=note)
    except IntegrityError as error:  # a double click: the constraint keeps one pending
        raise AccountError(_("มีคำขอที่รออนุมัติอยู่แล้ว โปรดรอผลการพิจารณา")) from error


def coordinated_agency_ids(user) -> list[int]:
    """Agencies this user coordinates: an approved coordinator request for their own agency."""
    if not (user.is_authenticated and user.is_active and user.agency_id):
        return []
    return list(
        MembershipRequest.objects.filter(
            user=user,
            agency_id=user.agency_id,
            state=MembershipRequest.State.APPROVED,
            is_coordinator=True,
        ).values_list("agency_id", flat=True)
    )


def requests_decidable_by(user) -> QuerySet[MembershipRequest]:
    """Pending requests this user may approve: all for staff, their agency's for a coordinator."""
    pending = MembershipRequest.objects.filter(state=MembershipRequest.State.PENDING)
    if not (user.is_authenticated and user.is_active):
        return pending.none()
    if user.is_secretariat:
        return pending
    return pending.filter(agency_id__in=coordinated_agency_ids(user))


@transaction.atomic
def decide_membership(
    request_id: int, by: User, approve: bool, note: str = ""
) -> MembershipRequest:
    membership = requests_decidable_by(by).select_for_update().filter(pk=request_id).first()
    if membership is None:
        raise PermissionDenied(_("ไม่มีสิทธิ์พิจารณาคำขอนี้ หรือคำขอนี้ได้รับการพิจารณาแล้ว"))
    membership.state = (
        MembershipRequest.State.APPROVED if approve else MembershipRequest.State.REJECTED
    )
    membership.decided_by = by
    membership.decided_at = timezone.now()
    if note:
        membership.note = f"{membership.note}\n{note}".strip()
    membership.save()
    if approve:
        member = membership.user
        member.agency = membership.agency
        member.save(update_fields=["agency"])
    return membership
