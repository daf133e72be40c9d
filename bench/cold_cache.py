"""The cold paths for the search bench's server (BENCH_PAGE_CACHE):

- "0", everything new: every request starts a new index generation and a new names
  generation, so nothing cached by the portal is ever reused — not even a case's own page or
  a card, as after renaming a province;
- "publish", after a publish: every request comes after a case study was published — a new
  index generation, numbered and kept with the case's index rows, and that case's own
  generation, as cases/signals.py and the indexer make them — so lists are worked out again,
  and so is every search the case's words may match, while what the publish did not change
  (the other searches' answers, the other cases' cards and pages, facet names) stays cached
  (issue 20, item 2). The cases published are drawn from the generated ones, so a search is
  worked out again about as often as its words are in them (a common word's first pages, as
  often as they would rank among its best).

Caches that do not follow a generation (sessions, the dictionary) stay as in production."""

import random

from cases import search
from cases.models import CaseStudy, SearchDocument
from cases.search import indexing

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
    SAMPLE = 500  # cases whose publishing is replayed, drawn once (the worker's part of it)

    def __init__(self, get_response):
        self.get_response = get_response
        self.published = None

    def __call__(self, request):
        if not request.path.startswith(BARE):
            if self.published is None:
                self.published = self._sample()
            case_id, changed = random.choice(self.published)
            search.bump_generation(changed=changed)
            search.bump_case_generation(case_id)
        return self.get_response(request)

    def _sample(self) -> list:
        """[(case id, its index rows as the indexer keeps the change of publishing it: rows
        written, newer than any)]."""
        ids = list(CaseStudy.objects.published().values_list("pk", flat=True))
        rows = {case_id: [] for case_id in random.sample(ids, min(self.SAMPLE, len(ids)))}
        for case_id, kind, _id, *values in SearchDocument.objects.filter(
            case_study_id__in=list(rows), kind__in=(SearchDocument.Kind.CASE,
                                                     SearchDocument.Kind.LESSON)
        ).values_list("case_study_id", *indexing.CHANGED_FIELDS):  # fmt: skip
            rows[case_id].append(indexing.as_changed((kind, None, *values)))
        return list(rows.items())
