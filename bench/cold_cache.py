"""The cold paths for the search bench's server (BENCH_PAGE_CACHE):

- "0", everything new: every request starts a new index generation and a new names
  generation, so nothing cached by the portal is ever reused — not even a case's own page or
  a card, as after renaming a province;
- "publish", after a publish: every request comes after a case study was published — a new
  index generation and that case's own one, as cases/signals.py and the indexer make them — so
  lists and searches are worked out again, while what the publish did not change (the other
  cases' cards and pages, facet names) stays cached (issue 20, item 2).

Caches that do not follow a generation (sessions, the dictionary) stay as in production."""

import random

from cases import search
from cases.models import CaseStudy

BARE = "/bench/"  # the baseline: a bare Django view, as in production (nothing cached to miss)


class NewGenerationEachRequest:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(BARE):
            search.bump_generation()
            search.bump_names_generation()
        return self.get_response(request)


class PublishBeforeEachRequest:
    def __init__(self, get_response):
        self.get_response = get_response
        self.case_ids = None

    def __call__(self, request):
        if not request.path.startswith(BARE):
            if self.case_ids is None:
                self.case_ids = list(CaseStudy.objects.published().values_list("pk", flat=True))
            search.bump_generation()
            search.bump_case_generation(random.choice(self.case_ids))
        return self.get_response(request)
