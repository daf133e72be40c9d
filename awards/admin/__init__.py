"""The admin of the award cycle: the secretariat's and the assessors' working tool, one module
per screen: set-up (cycles), entry forms (forms), entries, panels and assignments, score
sheets, site visits and results.

Staff see everything; an assessor sees only their assignments, their own score sheets, the
entries assigned to them and their panels' site visits — in lists, change views, search,
filters, autocomplete, exports and actions alike — because every queryset here is cut down by
awards/permissions.py. The rules (who may be assigned, what a sheet needs to be submitted,
how a ranking is computed…) live in awards/assessment.py and awards/scoring.py; these modules
only call them. Nothing a result depends on can be deleted here; every change is kept by
django-simple-history (the "ประวัติ" button on every page).
"""

from . import (  # noqa: F401  (registers)
    assignment,
    base,
    clarifications,
    cycles,
    discussion,
    entries,
    feedback,
    forms,
    letters,
    my_work,
    panels,
    score_sheets,
    site_visit_calendar,
    site_visits,
)
