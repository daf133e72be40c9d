"""What the notifications concern holds about a person, for their PDPA data download and the
anonymising of a closed account (portal.privacy.pdpa; registered in PortalConfig.ready)."""

from .models import Notification


def personal_data(user) -> dict:
    return {
        "notification_language": user.language,
        "notifications": [
            {
                "kind": row.kind,
                "subject": row.subject,
                "body": row.body,
                "state": row.state,
                "created_at": row.created_at,
                "sent_at": row.sent_at,
                "read_at": row.read_at,
            }
            for row in Notification.objects.filter(recipient=user)
        ],
    }


def anonymise(user) -> None:
    """Messages to the person carry their name and address: gone with the account."""
    Notification.objects.filter(recipient=user).delete()
