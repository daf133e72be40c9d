"""Who may do what with public knowledge: the one place each decision is made (views, forms
and the API ask here)."""


def can_record_adoption(user) -> bool:
    """An official whose agency membership is approved records, for that agency only, that it
    adopted a model project (cases/spread.py). Staff record or correct them in the admin."""
    return bool(user.is_authenticated and user.is_active and user.is_official and user.agency_id)
