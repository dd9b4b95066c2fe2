"""Email, sent the way Django sends it (settings.EMAIL_BACKEND: SMTP in production, the
outbox shown at /dev/email/ in development, locmem in tests), through the task queue.

Django's backends raise smtplib's and the socket's errors; accounts.mail.services turns
them into these two, the way an SMS backend does, so the task knows what to retry.
"""


class MailTransientError(Exception):
    """The mail server may take the message later: the task retries."""


class MailPermanentError(Exception):
    """The mail server refused the message for good: retrying would not help."""
