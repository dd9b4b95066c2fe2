"""English (locale/en/): complete for every string the sources mark, compiled as committed,
chosen only with the header's switch, and used for the SMS a page sends."""

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

from accounts.sms.backends import locmem
from accounts.sms.services import sms_deliver, sms_store
from tests.conftest import CI

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
NOT_SOURCES = (".git", ".venv", "tests", "bench", "var", "staticfiles", "build", "deploy",
               "test-artifacts", "node_modules", "__pycache__", "db.sqlite3")


def gettext_tools() -> None:
    if shutil.which("msgfmt") and shutil.which("xgettext"):
        return
    (pytest.fail if CI else pytest.skip)("needs GNU gettext (scripts/deps.sh --system)")


def entries(po: Path, *flags: str) -> int:
    """How many entries msgattrib keeps with `flags`, the header aside."""
    kept = subprocess.run(["msgattrib", *flags, str(po)], capture_output=True, text=True,
                          check=True).stdout
    return max(0, kept.count("\nmsgid ") + kept.startswith("msgid ") - 1)


@pytest.mark.timeout(180)
def test_every_marked_string_has_its_english(tmp_path):
    """makemessages over a copy of the sources finds nothing the catalogue lacks."""
    gettext_tools()
    copy = tmp_path / "portal"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*NOT_SOURCES))
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "portal.settings"}
    subprocess.run([sys.executable, "manage.py", "makemessages", "-l", "en", "--no-location",
                    "--ignore", "static/*"], cwd=copy, env=env, check=True,
                   capture_output=True)
    merged = copy / CATALOGUE.relative_to(ROOT)
    assert entries(merged, "--untranslated") == 0, "untranslated: run makemessages, translate"
    assert entries(merged, "--only-fuzzy") == 0, "fuzzy entries: check and unmark them"


def test_the_committed_catalogue_is_compiled_and_clean(tmp_path):
    gettext_tools()
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(CATALOGUE)], check=True)
    assert compiled.read_bytes() == CATALOGUE.with_suffix(".mo").read_bytes(), (
        "django.mo is older than django.po: msgfmt -o locale/en/LC_MESSAGES/django.mo …")
    assert entries(CATALOGUE, "--untranslated") == entries(CATALOGUE, "--only-fuzzy") == 0


def test_vietnamese_unless_english_was_chosen(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page["Content-Language"] == "vi"
    assert '<html lang="vi">' in page.content.decode()
    switched = client.get("/ngon-ngu/en/?next=/dang-nhap/")
    assert switched.status_code == 302 and switched["Location"] == "/dang-nhap/"
    page = client.get("/dang-nhap/").content.decode()
    assert '<html lang="en">' in page and "Log in" in page and "Mật khẩu" not in page
    assert 'lang="vi" hreflang="vi">Tiếng Việt</a>' in page
    client.get("/ngon-ngu/vi/")
    assert '<html lang="vi">' in client.get("/").content.decode()


def test_the_switch_keeps_a_login_on_its_way_back_to_a_portal_and_nothing_else(client):
    page = client.get("/dang-nhap/?next=/oidc/authorize/%3Fclient_id%3Dbackan&q=001090012345")
    link = re.search(r'href="(/ngon-ngu/en/[^"]+)"', page.content.decode())[1]
    back = client.get(html.unescape(link))["Location"]
    assert back == "/dang-nhap/?next=%2Foidc%2Fauthorize%2F%3Fclient_id%3Dbackan"
    assert "001090012345" not in link


def test_the_switch_goes_back_to_this_site_only(client):
    assert client.get("/ngon-ngu/en/?next=https://evil.example/")["Location"] == "/"
    assert client.get("/ngon-ngu/fr/").status_code == 404


@pytest.mark.django_db
def test_an_sms_is_written_in_the_language_of_the_page_that_sent_it():
    locmem.outbox.clear()
    with translation.override("en"):
        english = sms_store(phone="+84912345017", template="otp_login",
                            context={"code": "123456", "minutes": 5})
    vietnamese = sms_store(phone="+84912345017", template="otp_login",
                           context={"code": "654321", "minutes": 5})
    sms_deliver(sms_id=str(english.pk))
    sms_deliver(sms_id=str(vietnamese.pk))
    texts = [message["text"] for message in locmem.outbox]
    assert "123456" in texts[0] and "Không chia sẻ" not in texts[0]
    assert "654321" in texts[1] and "Không chia sẻ" in texts[1]


@pytest.mark.django_db(transaction=True)
def test_the_counter_texts_the_citizen_in_vietnamese_whatever_the_officer_reads():
    from accounts.models import Account
    from operator_console.services import _password_text

    locmem.outbox.clear()
    citizen = Account.objects.create(username="033095012345", full_name="Hoàng Văn Nam",
                                     phone="+84912345111")
    with translation.override("en"):
        assert _password_text(citizen, "Ab1!Ab1!Ab1!")
    [sms] = locmem.outbox
    assert "Ab1!Ab1!Ab1!" in sms["text"] and "mật khẩu" in sms["text"].lower()


@pytest.mark.django_db(transaction=True)
def test_an_email_is_written_in_the_language_of_the_page_that_sent_it(mailoutbox,
                                                                       monkeypatch):
    """Queued from an English page, written by the worker later, in English."""
    from accounts.mail import services

    monkeypatch.setattr(services, "_enqueue", lambda mail_id: None)  # the worker comes later
    notice = {"when": "08:35 07/12/2026", "hotline": "1800 0000"}
    with translation.override("en"):
        english = services.mail_queue(to="an@example.vn", template="notice_password_changed",
                                      context=notice)
    vietnamese = services.mail_queue(to="an@example.vn", template="notice_password_changed",
                                     context=notice)
    for mail in (english, vietnamese):
        services.mail_deliver(mail_id=str(mail.pk))
    english, vietnamese = mailoutbox
    assert "National Public Service Portal" in english.subject
    assert "password" in english.body and "Mật khẩu" not in english.body
    assert "Cổng Dịch vụ công quốc gia" in vietnamese.subject and "Mật khẩu" in vietnamese.body
