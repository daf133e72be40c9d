"""The worker's search tasks: primitive ids in, the database re-read, idempotent, retried."""

from celery import shared_task
from celery.signals import worker_process_init

from . import search

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
    return search.index_case(case_id)


@shared_task(**RETRY)
def index_lesson(lesson_id: int) -> str:
    return search.index_lesson(lesson_id)


@shared_task(**RETRY)
def index_entry(entry_id: int) -> str:
    return search.index_entry(entry_id)


@shared_task(**RETRY)
def repair_search_index() -> dict:
    """Periodic: re-index rows older than their document, so a lost message heals."""
    return search.repair()
