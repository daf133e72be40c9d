"""Account e-mails sent off the request path."""

from celery import shared_task


@shared_task(bind=True, max_retries=5, acks_late=True)
def send_verification_email(self, user_id: int) -> str:
    """The sign-up's verification e-mail, off the request path. A user already verified or
    gone (a message delivered twice, a closed account) gets nothing; a mail server that
    refuses is retried with backoff."""
    from .models import User
    from .registration import send_verification_email as send

    user = User.objects.filter(pk=user_id, is_active=False).first()
    if user is None:
        return "skipped"
    try:
        send(user)
    except OSError as error:  # smtplib's errors are OSErrors
        raise self.retry(exc=error, countdown=2 ** (self.request.retries + 2)) from error
    return "sent"


@shared_task(bind=True, max_retries=5, acks_late=True)
def send_sign_up_notice(self, user_id: int) -> str:
    """Someone signed up with a registered address: tell its owner (off the request path, as
    a new account's verification e-mail is, so the answer takes as long either way)."""
    from .models import User
    from .registration import send_sign_up_notice as send

    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return "skipped"
    try:
        sent = send(user)
    except OSError as error:  # smtplib's errors are OSErrors
        raise self.retry(exc=error, countdown=2 ** (self.request.retries + 2)) from error
    return "sent" if sent else "skipped"
