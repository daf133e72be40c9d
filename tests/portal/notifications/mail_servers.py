"""Mail servers for the tests: one that refuses the first N messages, then delivers."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class FlakyBackend(EmailBackend):
    failures_left = 0

    def send_messages(self, messages):
        if FlakyBackend.failures_left > 0:
            FlakyBackend.failures_left -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)
