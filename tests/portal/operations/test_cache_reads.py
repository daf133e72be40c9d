"""Small values many parts of a page read (cache generations, the award levels' catalogue)
are read from the cache once per request, never longer, those nearly every page reads in
one round trip (portal/operations/cache.py)."""

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started

from cases import search
from portal.operations.cache import forget_once, get_once

# request_started's other receivers close stale database connections.
pytestmark = pytest.mark.django_db


def _round_trips(monkeypatch) -> list[list]:
    """The keys of each read from the cache, whoever reads."""
    from django.core.cache import caches

    backend, trips, inside = caches["default"], [], []
    get, get_many = backend.get, backend.get_many

    def counted_get(key, default=None, version=None):
        if not inside:  # the test cache's get_many gets each key
            trips.append([key])
        return get(key, default, version)

    def counted_get_many(keys, version=None):
        trips.append(list(keys))
        inside.append(True)
        try:
            return get_many(keys, version)
        finally:
            inside.pop()

    monkeypatch.setattr(backend, "get", counted_get)
    monkeypatch.setattr(backend, "get_many", counted_get_many)
    return trips


def _reads(monkeypatch):
    """The keys get_once reads from the cache, one entry per key read."""
    trips = _round_trips(monkeypatch)

    class Keys(list):
        def count(self, key):
            return sum(trip.count(key) for trip in trips)

        def clear(self):
            trips.clear()

    return Keys()


def test_a_value_is_read_once_in_a_request_and_again_in_the_next(monkeypatch):
    cache.set("k", "first")
    reads = _reads(monkeypatch)
    request_started.send(sender=None)
    assert [get_once("k"), get_once("k"), get_once("k")] == ["first"] * 3
    assert reads.count("k") == 1
    cache.set("k", "second")  # another process writes it: this request keeps what it read
    assert get_once("k") == "first"
    request_finished.send(sender=None)
    assert get_once("k") == "second"  # outside a request: every call reads
    request_started.send(sender=None)
    assert get_once("k") == "second"
    request_finished.send(sender=None)


def test_a_write_in_the_request_is_read_again():
    request_started.send(sender=None)
    try:
        before = search.generation()
        search.bump_generation()
        assert search.generation() != before
        cache.set("k", "mine")
        forget_once("k")
        assert get_once("k") == "mine"
    finally:
        request_finished.send(sender=None)


def test_a_miss_is_not_kept():
    request_started.send(sender=None)
    try:
        assert get_once("absent", "default") == "default"
        cache.set("absent", "now")
        assert get_once("absent") == "now"
    finally:
        request_finished.send(sender=None)


def test_a_token_never_written_is_made_once_and_then_read_once_per_request(monkeypatch, client):
    """The thesaurus' version is written only when a group changes: before, a search read
    the missing key again each time it asked (twice per list page). Now the first reader
    makes the token, and a list page reads it once."""
    from cases.search.thesaurus import VERSION_KEY

    assert cache.get(VERSION_KEY) is None
    reads = _reads(monkeypatch)
    assert client.get("/cases/?q=ชุมชน").status_code == 200
    # In the request's first round trip, then the miss read alone, then the token it made.
    assert reads.count(VERSION_KEY) == 3
    made = cache.get(VERSION_KEY)
    assert made
    reads.clear()
    assert client.get("/cases/?q=ป่า").status_code == 200
    assert reads.count(VERSION_KEY) == 1
    assert cache.get(VERSION_KEY) == made


def test_keys_registered_together_are_read_in_the_requests_first_round_trip(monkeypatch):
    from portal.operations import cache as module

    monkeypatch.setattr(module, "_read_together", {"a", "b"})
    cache.set_many({"a": 1, "b": 2, "c": 3})
    trips = _round_trips(monkeypatch)
    request_started.send(sender=None)
    try:
        assert (get_once("c"), get_once("a"), get_once("b"), get_once("c")) == (3, 1, 2, 3)
    finally:
        request_finished.send(sender=None)
    assert trips == [["a", "b"], ["c"]]
    assert get_once("a") == 1 and trips[-1] == ["a"]  # outside a request: read alone


def test_a_search_page_reads_what_every_page_reads_in_one_round_trip(monkeypatch, client):
    """The generations, the award levels' catalogue and the thesaurus' version: each read in
    the same single round trip, and how the query is bounded (asked by the ranking, the
    sub-word notice and the facets) at most once."""
    from awards import levels
    from cases.caching import GENERATION_KEY, NAMES_KEY
    from cases.search.thesaurus import VERSION_KEY

    assert client.get("/cases/?q=ชุมชน").status_code == 200
    trips = _round_trips(monkeypatch)
    search.bump_generation()  # as a publish does: the page is worked out again
    assert client.get("/cases/?q=ชุมชน").status_code == 200
    every_page = {GENERATION_KEY, NAMES_KEY, levels.CACHE_KEY, VERSION_KEY}
    reading_them = [trip for trip in trips if every_page & set(trip)]
    assert len(reading_them) == 1 and every_page <= set(reading_them[0])
    read = [tuple(trip) for trip in trips if trip]
    assert len(read) == len(set(read))  # nothing read twice
    trips.clear()
    assert client.get("/").status_code == 200
    reading_them = [trip for trip in trips if every_page & set(trip)]
    assert len(reading_them) == 1 and every_page <= set(reading_them[0])


def test_a_bulk_index_reads_the_award_levels_once(monkeypatch):
    """The worker's rebuild asks every case study's award level (its boost): the catalogue
    is read once per batch, not twice per case (read_once_in), and read again by the next."""
    from awards import levels
    from cases.search import index_cases_bulk
    from tests.factories import CaseStudyFactory

    made = [CaseStudyFactory(award_level="good") for _ in range(3)]
    levels.find("good")  # the catalogue is in the cache
    reads = _reads(monkeypatch)
    assert index_cases_bulk([c.pk for c in made]) == 3
    assert reads.count(levels.CACHE_KEY) == 1
    assert index_cases_bulk([c.pk for c in made]) == 3
    assert reads.count(levels.CACHE_KEY) == 2
    assert get_once("k") is None and reads.count("k") == 1  # outside the batch: read each time
    assert get_once("k") is None and reads.count("k") == 2
