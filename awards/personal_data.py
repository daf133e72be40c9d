"""What the award cycle holds about a person, for their PDPA data download
(portal.privacy.pdpa.personal_data; registered in AwardsConfig.ready)."""

from .models import (
    AssessorProfile,
    Assignment,
    ConflictDeclaration,
    Entry,
    PanelComment,
    Unavailability,
)


def personal_data(user) -> dict:
    return {
        "entries_created": [
            {"reference": e.reference, "title": e.title, "state": e.state, "at": e.created_at}
            for e in Entry.objects.filter(created_by=user).order_by("created_at")
        ],
        "entries_submitted": [
            {"reference": e.reference, "title": e.title, "at": e.submitted_at}
            for e in Entry.objects.filter(submitted_by=user).order_by("submitted_at")
        ],
        "assessment_assignments": [
            {"entry": a.entry.reference, "round": a.round, "assigned_at": a.assigned_at}
            for a in Assignment.objects.filter(assessor=user).select_related("entry")
        ],
        "conflict_declarations": [
            {
                "agency": str(c.agency or ""),
                "entry": c.entry.reference if c.entry_id else None,
                "reason": c.reason,
                "declared_at": c.declared_at,
            }
            for c in ConflictDeclaration.objects.filter(assessor=user).select_related(
                "agency", "entry"
            )
        ],
        "expertise": [
            {"branches": [b.code for b in p.branches.all()], "region": p.region}
            for p in AssessorProfile.objects.filter(assessor=user).prefetch_related("branches")
        ],
        "unavailable_days": [
            {"from": u.starts_on, "to": u.ends_on, "reason": u.reason}
            for u in Unavailability.objects.filter(assessor=user)
        ],
        "panel_comments": [
            {"entry": c.entry.reference, "body": c.body, "at": c.written_at}
            for c in PanelComment.objects.filter(author=user).select_related("entry")
        ],
    }
