"""Notifications: every message the portal sends is a row (recipient, kind, subject and body in
the recipient's language, what it is about, queued → sent / failed), sent by a Celery task after
commit and shown in the recipient's inbox ("การแจ้งเตือน") and the staff outbox.

Apps register the kinds they send (kinds.py) from their own `notices.py`; the core never
imports an app. sending.py queues and delivers; templates staff edit live in models.py."""
