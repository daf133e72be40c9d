"""A person's own notifications (the "การแจ้งเตือน" page): only theirs, ever."""

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from .models import Notification


def inbox_of(user) -> QuerySet[Notification]:
    if not (user.is_authenticated and user.is_active):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def unread_count(user) -> int:
    return inbox_of(user).filter(read_at__isnull=True).count()


def open_notification(user, pk: int) -> Notification:
    """The user's notification, marked read the first time it is opened (DoesNotExist for
    anyone else's)."""
    notification = inbox_of(user).get(pk=pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def unread(request) -> dict:
    """Context processor: the header's unread count, counted only if a page shows it."""
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(request.user))}
