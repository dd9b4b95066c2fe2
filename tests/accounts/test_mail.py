"""Email through the queue: rendered from templates, sent by SMTP once, its context erased;
a refusal is final, a busy or absent server is retried; development keeps it at /dev/email/."""

import contextlib
import email
import socketserver
import threading
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from django.core.mail import EmailMessage

from accounts.crypto import seal
from accounts.mail import MailTransientError
from accounts.mail.outbox import OutboxBackend
from accounts.mail.services import MailUnavailable, mail_deliver, mail_queue, mail_render
from accounts.models import OutboxMail, OutgoingMail

SUBJECTS = sorted(Path("templates/email").glob("*_subject.txt"))
CONTEXT = {"code": "246810", "minutes": 5, "when": "08:35 07/12/2026", "hotline": "1800 0000"}


@pytest.mark.parametrize("template", [path.name[:-len("_subject.txt")] for path in SUBJECTS])
def test_every_mail_has_a_vietnamese_subject_and_a_plain_body(template):
    subject, body = mail_render(template, CONTEXT)
    assert "\n" not in subject and "Cổng Dịch vụ công quốc gia" in subject
    assert body.startswith("Xin chào,") and "{" not in body and "&" not in body
    assert body.rstrip().endswith("Thư được gửi tự động, vui lòng không trả lời.")


@contextlib.contextmanager
def smtp_server(received: list, rcpt_reply: bytes = b"250 OK"):
    """A mail server on a free port that answers RCPT with `rcpt_reply` and appends each
    message it takes to `received` (no TLS, no login)."""

    class Handler(socketserver.StreamRequestHandler):
        def handle(self):
            self.wfile.write(b"220 test ESMTP\r\n")
            data = None
            for raw in self.rfile:
                line = raw.rstrip(b"\r\n")
                if data is not None and line != b".":
                    data.append(line)
                    continue
                if data is not None:
                    received.append(email.message_from_bytes(b"\r\n".join(data)))
                    data, reply = None, b"250 queued"
                else:
                    verb = line[:4].upper()
                    reply = {b"RCPT": rcpt_reply, b"DATA": b"354 go on",
                             b"QUIT": b"221 bye"}.get(verb, b"250 OK")
                    data = [] if verb == b"DATA" else None
                self.wfile.write(reply + b"\r\n")
                if reply.startswith(b"221"):
                    return

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def smtp(settings):
    """Point the SMTP backend at `port` (the test's own server, or nothing)."""

    def use(port: int) -> None:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_TIMEOUT = False, "", 2

    return use


def _queued(to="an@example.vn") -> OutgoingMail:
    return OutgoingMail.objects.create(to=to, template="email_change_code",
                                       sealed_context=seal(CONTEXT))


@pytest.mark.django_db(transaction=True)
def test_it_sends_by_smtp_once_and_erases_the_context(smtp, settings):
    received = []
    with smtp_server(received) as port:
        smtp(port)
        mail = mail_queue(to="an@example.vn", template="email_change_code", context=CONTEXT)
        mail_deliver(mail_id=str(mail.pk))  # already sent: nothing happens
    assert len(received) == 1
    message = received[0]
    assert (message["To"], str(make_header(decode_header(message["Subject"])))) == (
        "an@example.vn", "Mã xác thực đổi email – Cổng Dịch vụ công quốc gia")
    assert "khongtraloi@example.vn" in message["From"]
    assert "246810" in message.get_payload(decode=True).decode()
    mail.refresh_from_db()
    assert (mail.status, mail.sealed_context, mail.attempts) == ("sent", "", 1)


@pytest.mark.django_db
def test_a_refused_address_is_final(smtp):
    mail = _queued()
    with smtp_server([], rcpt_reply=b"550 no such mailbox") as port:
        smtp(port)
        mail_deliver(mail_id=str(mail.pk))
    mail.refresh_from_db()
    assert (mail.status, mail.sealed_context, mail.attempts) == ("failed", "", 1)


@pytest.mark.django_db
def test_a_busy_server_is_retried(smtp):
    mail = _queued()
    with smtp_server([], rcpt_reply=b"451 try again later") as port:
        smtp(port)
        with pytest.raises(MailTransientError):
            mail_deliver(mail_id=str(mail.pk))
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == ("queued", 1) and mail.sealed_context


@pytest.mark.django_db
def test_an_absent_server_is_retried(smtp):
    with smtp_server([]) as port:
        pass  # closed: nothing listens there now
    smtp(port)
    mail = _queued()
    with pytest.raises(MailTransientError):
        mail_deliver(mail_id=str(mail.pk))
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == ("queued", 1)


@pytest.mark.django_db(transaction=True)
def test_in_process_the_task_tries_once_and_says_the_mail_could_not_go(smtp):
    with smtp_server([]) as port:
        pass
    smtp(port)
    with pytest.raises(MailUnavailable):
        mail_queue(to="an@example.vn", template="email_change_code", context=CONTEXT)
    mail = OutgoingMail.objects.get()
    assert (mail.status, mail.sealed_context, mail.attempts) == ("failed", "", 1)


@pytest.mark.django_db(transaction=True)
def test_the_development_mailbox_lists_messages_newest_first(client):
    outbox = OutboxBackend()
    EmailMessage("Thư thứ nhất", "Mã: 111111", to=["an@example.vn"], connection=outbox).send()
    EmailMessage("Thư thứ hai", "Mã: 222222", to=["binh@example.vn"], connection=outbox).send()
    assert OutboxMail.objects.count() == 2
    page = client.get("/dev/email/").content.decode()
    assert "Thư điện tử đã gửi (bản phát triển)" in page
    assert page.index("222222") < page.index("111111") and "binh@example.vn" in page
