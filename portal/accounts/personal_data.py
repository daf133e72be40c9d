"""What the accounts concern holds about a person beyond their account row, for their PDPA
data download and the anonymising of a closed account (portal.privacy.pdpa; registered in
PortalConfig.ready)."""

from .models import MembershipRequest


def personal_data(user) -> dict:
    return {
        "membership_requests": [
            {
                "agency": str(r.agency),
                "state": r.state,
                "requested_at": r.requested_at,
                "decided_at": r.decided_at,
                "note": r.note,
            }
            for r in MembershipRequest.objects.filter(user=user).select_related("agency")
        ],
    }


def anonymise(user) -> None:
    """Notes written about the person when their membership was decided."""
    MembershipRequest.objects.filter(user=user).update(note="")
    MembershipRequest.history.filter(user_id=user.pk).update(note="")
