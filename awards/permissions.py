"""Who may see and do what with entries, attachments and score sheets — decided here only.

Views, admin querysets and API querysets all filter through these functions, so an object
that is not visible in a list is not reachable by guessing its id either."""

from django.db.models import Q, QuerySet

from .models import Assignment, ConflictDeclaration, Entry, EntryState


def is_secretariat(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_secretariat)


def entries_of_own_agency(user) -> QuerySet[Entry]:
    """The entries an official works on: every entry of their (approved) agency."""
    if not (user.is_authenticated and user.is_active and user.is_official and user.agency_id):
        return Entry.objects.none()
    return Entry.objects.filter(agency_id=user.agency_id)


def conflicted_entries(user) -> QuerySet[Entry]:
    """Entries an assessor must never score: their own agency's, or a declared conflict."""
    declared_agencies = ConflictDeclaration.objects.filter(
        assessor=user, agency__isnull=False
    ).values("agency_id")
    declared_entries = ConflictDeclaration.objects.filter(
        assessor=user, entry__isnull=False
    ).values("entry_id")
    return Entry.objects.filter(
        Q(agency_id=user.agency_id)
        | Q(agency_id__in=declared_agencies)
        | Q(pk__in=declared_entries)
    )


def entries_assigned_to(user) -> QuerySet[Entry]:
    """The entries an assessor may read: assigned to them and not conflicted."""
    if not (user.is_authenticated and user.is_active and user.is_assessor):
        return Entry.objects.none()
    assigned = Assignment.objects.filter(assessor=user).values("entry_id")
    return Entry.objects.filter(pk__in=assigned).exclude(
        pk__in=conflicted_entries(user).values("pk")
    )


def entries_visible_to(user) -> QuerySet[Entry]:
    """Every entry a signed-in user may read, whatever their role."""
    if is_secretariat(user):
        return Entry.objects.all()
    if getattr(user, "is_assessor", False):
        return entries_assigned_to(user)
    return entries_of_own_agency(user)


def can_edit_entry(user, entry: Entry) -> bool:
    """Officials of the entry's agency, while it is a draft. (The deadline is a rule of
    submission.py, which decides whether a draft is still open.)"""
    return (
        entry.state == EntryState.DRAFT and entries_of_own_agency(user).filter(pk=entry.pk).exists()
    )


def can_download_attachment(user, entry: Entry) -> bool:
    """The agency's officials, assessors assigned (and not conflicted), and staff."""
    return entries_visible_to(user).filter(pk=entry.pk).exists()
