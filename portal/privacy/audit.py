"""The audit log of access to private data: one function every door calls.

from portal.privacy.audit import record_access
record_access(request.user, attachment, AuditAction.DOWNLOAD, request=request)
"""

import logging

from django.contrib.contenttypes.models import ContentType

from portal.operations.client_address import client_ip  # the one idea of the client's address
from portal.privacy.models import AuditAction, AuditEvent

logger = logging.getLogger("portal.audit")

__all__ = ["AuditAction", "record_access"]


def record_access(user, obj, action: str, request=None) -> AuditEvent:
    """Record that `user` did `action` (AuditAction) on `obj` (a model instance, or None for
    an action on no particular object). Also logged, so a log shipper has it too."""
    actor = user if getattr(user, "is_authenticated", False) else None
    event = AuditEvent.objects.create(
        actor=actor,
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        ip_address=client_ip(request),
    )
    logger.info(
        "audit %s %s",
        action,
        event.object_repr,
        extra={
            "audit_action": action,
            "actor_id": actor.pk if actor else None,
            "object_type": event.content_type.model if event.content_type else "",
            "object_id": event.object_id,
        },
    )
    return event


def events_for(obj):
    """Every recorded access to one object, newest first."""
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    )
