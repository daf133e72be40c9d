"""Small values many parts of a page read (cache generations, the award levels' catalogue)
are read from the cache once per request, never longer (portal/operations/cache.py)."""

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started

from cases import search
from portal.operations.cache import forget_once, get_once

# request_started's other receivers close stale database connections.
pytestmark = pytest.mark.django_db


def _reads(monkeypatch):
    """The keys get_once reads from the cache."""
    from portal.operations import cache as module

    reads = []

    class Counted:
        def get(self, key, default=None):
            reads.append(key)
            return cache.get(key, default)

        def __getattr__(self, name):  # writes go through as they are
            return getattr(cache, name)

    monkeypatch.setattr(module, "cache", Counted())
    return reads


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
    assert reads.count(VERSION_KEY) == 2  # the miss, then the token it made
    made = cache.get(VERSION_KEY)
    assert made
    reads.clear()
    assert client.get("/cases/?q=ป่า").status_code == 200
    assert reads.count(VERSION_KEY) == 1
    assert cache.get(VERSION_KEY) == made
    reads.clear()
    assert client.get("/cases/").status_code == 200  # nothing searched: nothing to parse
    assert reads.count(VERSION_KEY) == 0
