"""The cold path for the search bench's server: every request starts a new index generation,
as if a case had just been published, so nothing cached per generation (fragments, facet
counts, search results) is ever reused — what the first visitor of a URL gets after any
publish. Caches that do not follow the generation (sessions, the dictionary) stay as in
production."""

from cases import search


class NewGenerationEachRequest:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        search.bump_generation()
        return self.get_response(request)
