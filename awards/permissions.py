"""Who may see and do what with entries, attachments and score sheets — decided here only.

Views, admin querysets and API querysets all filter through these functions, so an object
that is not visible in a list is not reachable by guessing its id either."""

from django.db.models import Q, QuerySet

from . import conflicts
from .models import (
    Assignment,
    ConflictDeclaration,
    Entry,
    EntryState,
    Panel,
    Result,
    ScoreSheet,
    SiteVisit,
)

# The admin group whose model permissions open the assessor's doors; which rows are behind
# them is decided by the functions below.
ASSESSOR_GROUP = "ผู้ตรวจประเมิน"
ASSESSOR_PERMISSIONS = {
    "awards": [
        "view_entry", "view_attachment", "view_assignment", "view_scoresheet",
        "change_scoresheet", "view_score", "change_score", "view_conflictdeclaration",
        "add_conflictdeclaration", "view_sitevisit", "change_sitevisit", "view_panel",
        # Their own expertise and the days they cannot travel (issue 18).
        "view_assessorprofile", "add_assessorprofile", "change_assessorprofile",
        "view_unavailability", "add_unavailability", "change_unavailability",
    ],
    "portal": ["view_agency"],
}  # fmt: skip


def ensure_assessor_group(Group, Permission) -> None:
    """Create the assessor group with its permissions (models passed in, so migration 0005
    can hand over its historical ones)."""
    group, _ = Group.objects.get_or_create(name=ASSESSOR_GROUP)
    for app_label, codenames in ASSESSOR_PERMISSIONS.items():
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )


def restore_assessor_group(sender, **kwargs) -> None:
    """post_migrate: `flush` (after every transactional test) empties auth's tables too and then
    sends post_migrate, which recreates permissions; recreate the group on top of them."""
    from django.contrib.auth.models import Group, Permission

    if not Group.objects.filter(name=ASSESSOR_GROUP).exists():
        ensure_assessor_group(Group, Permission)


def is_secretariat(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_secretariat)


def is_assessor(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_assessor)


def may_use_admin(user) -> bool:
    """Staff and assessors work in the admin; officials never do, even if flagged is_staff."""
    return bool(user.is_active and user.is_staff and (is_secretariat(user) or is_assessor(user)))


def entries_of_own_agency(user) -> QuerySet[Entry]:
    """The entries an official works on: every entry of their (approved) agency."""
    if not (user.is_authenticated and user.is_active and user.is_official and user.agency_id):
        return Entry.objects.none()
    return Entry.objects.filter(agency_id=user.agency_id)


def conflicted_entries(user) -> QuerySet[Entry]:
    """Entries an assessor must never score: of their agency, its ancestors or descendants, of
    a declared agency or under it, or a declared entry (awards/conflicts.py, the one rule)."""
    return conflicts.conflicted_entries(user)


def entries_assigned_to(user) -> QuerySet[Entry]:
    """The entries an assessor may read: assigned to them and not conflicted."""
    if not (user.is_authenticated and user.is_active and user.is_assessor):
        return Entry.objects.none()
    assigned = Assignment.objects.filter(assessor=user).values("entry_id")
    return Entry.objects.filter(pk__in=assigned).exclude(
        pk__in=conflicted_entries(user).values("pk")
    )


def entries_of_chair_or_staff(user) -> QuerySet[Entry]:
    """Entries a person may speak to the agency about (ask a clarification, edit feedback):
    the secretariat every one; a panel chair those their panel assesses (assigned to them, not
    conflicted); anyone else none."""
    if is_secretariat(user):
        return Entry.objects.all()
    chaired = Entry.objects.filter(assignments__panel__chair=user).values("pk")
    return entries_assigned_to(user).filter(pk__in=chaired)


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


def can_start_entry(user) -> bool:
    """An official whose agency membership has been approved."""
    return bool(user.is_authenticated and user.is_active and user.is_official and user.agency_id)


def can_download_attachment(user, entry: Entry) -> bool:
    """The agency's officials, assessors assigned (and not conflicted), and staff."""
    return entries_visible_to(user).filter(pk=entry.pk).exists()


# --- Assessment: what an assessor reaches in the admin ------------------------------------------


def is_conflicted(user, entry: Entry) -> bool:
    """The one test of a conflict of interest (the database enforces the same rule)."""
    return conflicts.conflict_reason(user, entry) is not None


def assignments_visible_to(user) -> QuerySet[Assignment]:
    """Staff: every assignment. An assessor: their own, never on a conflicted entry."""
    if is_secretariat(user):
        return Assignment.objects.all()
    if not is_assessor(user):
        return Assignment.objects.none()
    return Assignment.objects.filter(assessor=user).exclude(
        entry_id__in=conflicted_entries(user).values("pk")
    )


def sheets_visible_to(user) -> QuerySet[ScoreSheet]:
    """Staff: every score sheet. An assessor: only their own (never another's)."""
    if is_secretariat(user):
        return ScoreSheet.objects.all()
    return ScoreSheet.objects.filter(assignment_id__in=assignments_visible_to(user).values("pk"))


def panels_visible_to(user) -> QuerySet[Panel]:
    if is_secretariat(user):
        return Panel.objects.all()
    if not is_assessor(user):
        return Panel.objects.none()
    return Panel.objects.filter(Q(chair=user) | Q(panelmember__assessor=user)).distinct()


def site_visits_visible_to(user) -> QuerySet[SiteVisit]:
    """Staff: every visit. An assessor: the visits of their panels, minus conflicted entries."""
    if is_secretariat(user):
        return SiteVisit.objects.all()
    if not is_assessor(user):
        return SiteVisit.objects.none()
    panels = Panel.objects.filter(Q(chair=user) | Q(panelmember__assessor=user)).values("pk")
    return SiteVisit.objects.filter(panel_id__in=panels).exclude(
        entry_id__in=conflicted_entries(user).values("pk")
    )


def conflicts_visible_to(user) -> QuerySet[ConflictDeclaration]:
    if is_secretariat(user):
        return ConflictDeclaration.objects.all()
    if not is_assessor(user):
        return ConflictDeclaration.objects.none()
    return ConflictDeclaration.objects.filter(assessor=user)


def can_score(user, sheet: ScoreSheet) -> bool:
    """Only the sheet's own assessor, while it is a draft, and never on a conflict."""
    return (
        is_assessor(user)
        and sheet.state == ScoreSheet.State.DRAFT
        and sheet.assignment.assessor_id == user.pk
        and not is_conflicted(user, sheet.assignment.entry)
    )


def can_record_visit_evidence(user, visit: SiteVisit) -> bool:
    """Staff; the visit's chair and members (not conflicted) until the committee decides."""
    if is_secretariat(user):
        return True
    return (
        site_visits_visible_to(user).filter(pk=visit.pk).exists()
        and not Result.objects.filter(entry_id=visit.entry_id).exists()
    )


def can_consolidate(user, visit: SiteVisit) -> bool:
    """The panel's chair, not conflicted, until the committee has decided on the entry."""
    return (
        is_assessor(user)
        and visit.panel.chair_id == user.pk
        and not is_conflicted(user, visit.entry)
        and not Result.objects.filter(entry_id=visit.entry_id).exists()
    )


def can_discuss(user, entry: Entry) -> bool:
    """An entry's discussion: staff, and the assessors assigned to it (not conflicted)."""
    return is_secretariat(user) or entries_assigned_to(user).filter(pk=entry.pk).exists()


def can_write_consensus(user, entry: Entry) -> bool:
    """The chair of a panel assigned to the entry for screening, not conflicted, while the
    entry is in screening (before staff decide)."""
    return (
        is_assessor(user)
        and entry.state == EntryState.SCREENING
        and Panel.objects.filter(
            chair=user, assignment__entry=entry, assignment__round="screening"
        ).exists()
        and not is_conflicted(user, entry)
    )


# --- Similar past work beside an entry (awards/similar_work.py) --------------------------------

# Past work is what an agency submitted, whatever came of it; a draft (never submitted, or
# reopened) and a withdrawn entry are not. The private search index holds exactly these.
PAST_WORK = ~Q(state__in=[EntryState.DRAFT, EntryState.WITHDRAWN])


def is_past_work(entry: Entry) -> bool:
    return entry.state not in (EntryState.DRAFT, EntryState.WITHDRAWN)


def past_entries_visible_to(user, entry: Entry) -> QuerySet[Entry]:
    """The earlier entries `user` may be shown beside `entry` as similar past work — never the
    entry itself nor any entry of its cycle — decided here for every page that shows them:

    - staff, and an assessor who may read `entry` (assigned, not conflicted): every agency's,
      any outcome, so that a resubmission is spotted (assessors work under confidentiality);
    - an official of the entry's agency: their own agency's only;
    - anyone else (an official of another agency, an assessor not assigned): none."""
    earlier = Entry.objects.filter(PAST_WORK, category__cycle__year_be__lt=entry.cycle.year_be)
    if is_secretariat(user) or entries_assigned_to(user).filter(pk=entry.pk).exists():
        return earlier
    if entries_of_own_agency(user).filter(pk=entry.pk).exists():
        return earlier.filter(agency_id=user.agency_id)
    return Entry.objects.none()


def can_manage_assessment(user) -> bool:
    """Panels, assignments, shortlists, schedules, decisions and announcements: staff only."""
    return is_secretariat(user)


def restrict(queryset: QuerySet, visible: QuerySet) -> QuerySet:
    """`queryset` (e.g. an admin's, with its joins and ordering) cut down to the rows of
    `visible` (one of the functions above); no subquery when `visible` is the whole table."""
    if not visible.query.where:
        return queryset
    return queryset.filter(pk__in=visible.values("pk"))


# --- The public ---------------------------------------------------------------------------------


def published_results() -> QuerySet[Result]:
    """Results anyone may see: those of cycles whose results have been announced."""
    from django.utils import timezone

    return Result.objects.filter(
        entry__category__cycle__results_published_at__isnull=False,
        entry__category__cycle__results_published_at__lte=timezone.now(),
    )
