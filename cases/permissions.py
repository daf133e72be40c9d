"""Who may do what with public knowledge: the one place each decision is made (views, forms
and the API ask here)."""

from .models import CaseStudy


def _official_of_an_agency(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_official and user.agency_id)


def can_record_adoption(user) -> bool:
    """An official whose agency membership is approved records, for that agency only, that it
    adopted a model project (cases/spread.py). Staff record or correct them in the admin."""
    return _official_of_an_agency(user)


def drafts_to_review(user):
    """The draft model projects made from the user's agency's awarded entries, not yet
    published: its officials review them and write their lessons learned. Once staff publish
    one, only staff change it (in the admin)."""
    if not _official_of_an_agency(user):
        return CaseStudy.objects.none()
    return CaseStudy.objects.filter(
        agency_id=user.agency_id, entry__isnull=False, is_published=False
    )


def can_review_draft(user, case: CaseStudy) -> bool:
    return drafts_to_review(user).filter(pk=case.pk).exists()
