"""Background work of the award cycle (Celery beat, daily): screening that starts on its
promised date, reminders (drafts before the deadline, score sheets before and after their due
date) and the secretariat's digest. Each is idempotent: run twice a day, it does nothing more.
Messages themselves are sent by portal.notifications (a task per row, after commit)."""

from celery import shared_task
from django.utils import timezone

from portal.notifications.sending import schedule_days

from . import feedback, notices, submission


@shared_task
def start_promised_screening() -> int:
    """Submitted entries enter screening on their cycle's screening date, as the confirmation
    promised (until then the agency may withdraw)."""
    return submission.start_promised_screening(timezone.localdate())


@shared_task
def send_reminders() -> dict:
    today = timezone.localdate()
    return {
        "drafts": notices.remind_drafts(
            today, schedule_days("deadline_approaching"), submission.deadline
        ),
        "score_sheets": notices.remind_score_sheets(today, schedule_days("score_sheet_due")),
    }


@shared_task
def send_staff_digest() -> int:
    return notices.send_staff_digest(timezone.localdate())


@shared_task
def draft_feedback() -> int:
    """Drafts of feedback for the decided entries of announced cycles (idempotent)."""
    return feedback.draft_announced()
