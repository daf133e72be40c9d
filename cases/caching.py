"""What the public pages cache, and what makes each cached thing old (issue 20: publishing one
case study must not make every cached page cold).

Three kinds of generation, each a token in the cache that a change replaces:

- the index generation: what is published and how it is found (lists, search, home, facet
  counts over a query) — a publish, an edit of anything indexed, the thesaurus;
- the names generation: how agencies, provinces, branches, categories, topics and award levels
  are named and ordered — every page shows some of them;
- one generation per case study: its own page (its text, photos, documents, lessons, where it
  has spread) — an edit of that case or of what hangs on it.

A case page is therefore still served from the cache after another case is published; only
the parts of it that list other cases (related work) follow the index generation."""

import hashlib
import json

from django.core.cache import cache

from portal.operations.cache import get_once, keep_once, new_token, read_together, token

GENERATION_KEY = "cases:search-generation"
# Entries' private rows change with every submission: their own generation, so that a deadline
# rush never makes the public pages render again.
GENERATION_KEYS = {"public": GENERATION_KEY, "entries": f"{GENERATION_KEY}:entries"}
NAMES_KEY = "cases:names-generation"
CASE_KEY = "cases:case-generation:{}"
CACHE_SECONDS = 300
# A case page has its own generation, so it may stay longer: nothing else makes it old.
CASE_PAGE_SECONDS = 3600
# What a publish barely changes is kept this long whatever the index generation.
A_WHILE_SECONDS = 60
# Every public page reads both generations: in the request's first round trip to the cache.
read_together(GENERATION_KEY, NAMES_KEY)


def generation(scope: str = "public") -> str:
    """A token that changes whenever the index (or what is published) changes."""
    return token(GENERATION_KEYS[scope])


def bump_generation(scope: str = "public") -> None:
    new_token(GENERATION_KEYS[scope])


def names_generation() -> str:
    return token(NAMES_KEY)


def bump_names_generation() -> None:
    new_token(NAMES_KEY)


def case_generation(case_id: int) -> str:
    """Its names generation and its own: what a case page's cached content depends on."""
    return f"{names_generation()}.{token(CASE_KEY.format(case_id))}"


def case_generations(case_ids) -> dict[int, str]:
    """case_generation of many case studies in one round trip to the cache (a list's cards)."""
    names = names_generation()
    keys = {CASE_KEY.format(pk): pk for pk in case_ids}
    found = cache.get_many(list(keys))
    return {pk: f"{names}.{found.get(key) or token(key)}" for key, pk in keys.items()}


def cached_for_case(case_id: int, key_parts, compute):
    """compute() cached until the case study changes (its own generation), as its page is."""
    key = key_of(["case", case_id, case_generation(case_id), key_parts])
    return _kept(key, compute, CASE_PAGE_SECONDS)


def bump_case_generation(case_id: int) -> None:
    new_token(CASE_KEY.format(case_id))


def key_of(parts) -> str:
    """A cache key for any JSON-able parts (query words included)."""
    raw = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return "cases:search:" + hashlib.sha256(raw.encode()).hexdigest()


def cached(key_parts, compute, scope: str = "public"):
    """compute() cached until the index changes (facet counts over a common word read every
    matching row: once per query and index generation, not once per visitor), and read from
    the cache once per request (a search page asks how its query is bounded three times)."""
    key = key_of([generation(scope), key_parts])
    value = _kept(key, compute, CACHE_SECONDS, read=get_once)
    keep_once(key, value)
    return value


def cached_a_while(key_parts, compute):
    """compute() kept A_WHILE_SECONDS across index generations (by the names generation, as it
    names things): for what one publish cannot change much, such as the facet counts of a
    common word, which are lower bounds read from a sample of its matches."""
    return _kept(key_of(["a-while", names_generation(), key_parts]), compute, A_WHILE_SECONDS)


def _kept(key, compute, seconds, read=cache.get):
    """The value under key, else compute() stored there for `seconds`."""
    value = read(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value
