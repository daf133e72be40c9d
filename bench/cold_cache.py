"""The cold path for the search bench's server: every request starts a new index generation,
as if a case had just been published, so nothing cached per generation (fragments, facet
counts, search results) is ever reused — what the first visitor of a URL gets after any
publish anywhere (issue 20 keeps a case page cached after another case is published: here
it is cold too). Caches that do not follow the generation (sessions, the dictionary) stay as in
production."""

from cases import search


class NewGenerationEachRequest:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Everything a page caches is new: the index and the names (which every case page's
        # own generation includes).
        search.bump_generation()
        search.bump_names_generation()
        return self.get_response(request)
