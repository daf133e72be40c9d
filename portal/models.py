"""The portal's models, each defined in its concern's package (app label "portal"; tables and
migrations unchanged): Django finds them through this module."""

from portal.accounts.models import MembershipRequest, Role, User, VerifiedApiToken  # noqa: F401
from portal.agencies.models import SDG, Agency, AgencyKind, Province, Region  # noqa: F401
from portal.notifications.models import (  # noqa: F401
    Notification,
    NotificationSchedule,
    NotificationTemplate,
)
from portal.privacy.models import AccountClosure, AuditEvent, PrivacyAcknowledgement  # noqa: F401
from portal.reports.models import Report  # noqa: F401
