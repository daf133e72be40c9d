"""Each gunicorn worker builds its per-process state (URL map, templates, the search
segmenter's dictionary) at boot, not on its first visitors' requests; a database that is not
reachable yet never stops the boot."""

import logging

import pytest
from django.db import OperationalError, connections
from django.template import engines

from cases import search
from cases.search import terms as search_terms
from portal import gunicorn_conf
from tests.factories import AgencyFactory


@pytest.fixture
def closed(monkeypatch):
    """Records that the warm-up let go of its database connection (without closing the
    test's own transaction)."""
    calls = []
    monkeypatch.setattr(connections, "close_all", lambda: calls.append(True))
    return calls


def cached_templates():
    loader = engines["django"].engine.template_loaders[0]
    return {name for name in loader.get_template_cache}


@pytest.mark.django_db
def test_a_worker_warms_up_after_loading_the_application_and_before_its_first_request(closed):
    AgencyFactory(abbreviation="อบอุ่น.")
    search.forget_dictionary()
    engines["django"].engine.template_loaders[0].reset()

    gunicorn_conf.post_worker_init(worker=None)

    assert search_terms._dictionary is not None  # noqa: SLF001 — what the first search would build
    assert "อบอุ่น." in search.dictionary().fixed  # read from the database's agencies
    assert {"cases/home.html", "cases/case_list.html", "awards/check.html"} <= cached_templates()
    assert closed  # the boot thread serves no requests: its connection is not kept


def test_an_unreachable_database_leaves_the_dictionary_to_the_first_search(
    monkeypatch, caplog, closed
):
    search.forget_dictionary()

    def refused():
        raise OperationalError("connection refused")

    monkeypatch.setattr(search_terms, "load_dictionary", refused)
    with caplog.at_level(logging.WARNING, logger="portal.wsgi"):
        gunicorn_conf.post_worker_init(worker=None)  # does not raise: gunicorn boots

    assert search_terms._dictionary is None  # noqa: SLF001
    assert "_search_dictionary failed" in caplog.text
    assert "cases/home.html" in cached_templates()  # the other steps still ran
    assert closed


def test_the_shared_settings_are_gthread_workers_with_a_long_keep_alive():
    assert gunicorn_conf.worker_class == "gthread"
    assert gunicorn_conf.timeout == 60
    assert gunicorn_conf.keepalive > 60  # longer than a client's pause (connection resets)
