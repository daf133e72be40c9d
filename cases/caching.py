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
the parts of it that list other cases (related work) follow the index generation.

A search's answer (its page, its API answer) has a generation of its own, `answer_generation`:
each change of the public index is numbered and kept a while with the index rows it wrote or
removed (`bump_generation(changed=…)`), and an answer outlives the changes whose rows could not
match its query — publishing a case about a community forest leaves the searches for
e-Service as they were. A change that names no rows (a rebuild, the thesaurus, an
adoption) may change any answer."""

import hashlib
import json
import random
import uuid

from django.core.cache import cache

from portal.operations.cache import (
    OUTAGE,
    forget_once,
    get_once,
    keep_once,
    new_token,
    read_together,
    token,
)

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
# The public index's changes, numbered (from a random start, so that a lost counter never
# names older changes again), each kept under its number with the rows it wrote or removed.
CHANGES_KEY = "cases:index-changes"
# The shape of what a change and an answer keep (indexing.ChangedRow, query.Reach): a new
# shape, a new number, so that a process never unpickles what an older one kept.
KEPT_SHAPE = 1
CHANGE_KEY = f"cases:index-change:{KEPT_SHAPE}:{{}}"
# An answer is checked against at most this many changes since it was last; beyond, or past
# what is still kept, it is worked out again.
CHANGES_READ = 16
# Every public page reads both generations (a search, the changes' number too): in the
# request's first round trip to the cache.
read_together(GENERATION_KEY, NAMES_KEY, CHANGES_KEY)


def generation(scope: str = "public") -> str:
    """A token that changes whenever the index (or what is published) changes."""
    return token(GENERATION_KEYS[scope])


def bump_generation(scope: str = "public", changed: list | None = None) -> None:
    """A new generation of the index (of `scope`). For the public one, the change is numbered
    and kept with `changed`, every index row written or removed (indexing.ChangedRow; None:
    anything may have changed), for the answers that outlive it."""
    new_token(GENERATION_KEYS[scope])
    if scope != "public":
        return
    try:
        _start_counting_changes()
        number = cache.incr(CHANGES_KEY)
    except (ValueError, *OUTAGE):  # gone between the two, or the cache is down: nothing kept
        return
    forget_once(CHANGES_KEY)
    if changed is not None:  # a change not kept is one that may change anything
        cache.set(CHANGE_KEY.format(number), changed, CACHE_SECONDS)


def _start_counting_changes() -> None:
    cache.add(CHANGES_KEY, random.randrange(2**40) * CHANGES_READ, None)


def answer_generation(key_parts, may_change) -> str:
    """A token for the answer to one query that, unlike the index generation, outlives the
    changes that cannot change it: `may_change(reach, rows)` tells, for the rows one change
    removed and wrote and what the answer reaches (`answer_reaches`). Until it is told what
    that is, an answer follows every change (one that found nothing shows suggestions read
    from the whole vocabulary)."""
    key = _answer_key(key_parts)
    now = get_once(CHANGES_KEY)
    if now is None:
        _start_counting_changes()
        forget_once(CHANGES_KEY)
        now = get_once(CHANGES_KEY)
        if now is None:  # the cache is down: nothing is kept anyway
            return uuid.uuid4().hex
    record = get_once(key)
    if record is not None:
        answer, seen, reach = record
        if seen == now:
            return answer
        if reach is not None and 0 < now - seen <= CHANGES_READ:
            keys = [CHANGE_KEY.format(number) for number in range(seen + 1, now + 1)]
            changes = cache.get_many(keys)
            if len(changes) == len(keys) and not any(
                may_change(reach, rows) for rows in changes.values()
            ):
                _keep_answer(key, (answer, now, reach))
                return answer
    answer = uuid.uuid4().hex
    _keep_answer(key, (answer, now, None))
    return answer


def answer_reaches(key_parts, reach) -> None:
    """What the answer of this request's `answer_generation(key_parts, …)` read of the index:
    only rows its query may match (`reach`, as its `may_change` reads it), so that a change
    of other rows leaves it as it is."""
    key = _answer_key(key_parts)
    record = get_once(key)
    if record is not None and record[2] != reach:
        _keep_answer(key, (record[0], record[1], reach))


def _answer_key(key_parts) -> str:
    return key_of(["answer", KEPT_SHAPE, names_generation(), key_parts])


def _keep_answer(key, record) -> None:
    cache.set(key, record, CACHE_SECONDS)
    keep_once(key, record)


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


def cached(key_parts, compute, scope: str = "public", by: str | None = None):
    """compute() cached until the index changes (facet counts over a common word read every
    matching row: once per query and index generation, not once per visitor), or `by` another
    generation (a search's answer's), and read from the cache once per request (a search page
    asks how its query is bounded three times)."""
    key = key_of([by or generation(scope), key_parts])
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
