"""The worker's search tasks: primitive ids in, the database re-read, idempotent, retried."""

from celery import shared_task
from celery.signals import worker_process_init
from django.core.cache import cache
from django.db import transaction

from . import facet_summary, search

RETRY = {
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
    "acks_late": True,
}


@worker_process_init.connect
def load_dictionary(**kwargs):
    """Build the segmenter's dictionary once per worker process, before the first task."""
    from django.db import close_old_connections

    try:
        search.dictionary(refresh=True)
    finally:
        close_old_connections()


@shared_task(**RETRY)
def index_case_study(case_id: int) -> str:
    done = search.index_case(case_id)
    recount_facets_soon()
    return done


@shared_task(**RETRY)
def index_lesson(lesson_id: int) -> str:
    done = search.index_lesson(lesson_id)
    recount_facets_soon()
    return done


@shared_task(**RETRY)
def index_entry(entry_id: int) -> str:
    return search.index_entry(entry_id)


@shared_task(**RETRY)
def repair_search_index() -> dict:
    """Periodic: re-index rows older than their document, so a lost message heals; and
    recount the facet summary, so a lost recount heals too."""
    repaired = search.repair()
    facet_summary.refresh()
    return repaired


@shared_task(**RETRY)
def refresh_facet_summary() -> dict:
    return facet_summary.refresh()


def recount_facets_soon() -> None:
    """Queue one recount of the facet summary after the index changed, unless one is queued
    and not started yet (a burst of publishes is counted once)."""

    def queue():
        if cache.add(facet_summary.QUEUED_KEY, 1, timeout=facet_summary.REFRESH_DELAY + 60):
            refresh_facet_summary.apply_async(countdown=facet_summary.REFRESH_DELAY)

    transaction.on_commit(queue)
