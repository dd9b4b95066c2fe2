"""What base.html and the chooser keep drawn ({% cache %}, portal/fragments.py) reads as if
drawn for each request: the same bytes, the header of who is logged in, the footer of the
settings in force."""

import re

import pytest
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.test import override_settings

from accounts.models import Account

UNKEPT = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
          "template_fragments": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def _header(page: str) -> str:
    return re.search(r"<header .*?</header>", page, re.S)[0]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/dang-ky/", "/dieu-khoan/"])
def test_a_kept_page_reads_byte_for_byte_as_drawn_anew(client, path):
    caches["template_fragments"].clear()
    first = client.get(path).content
    assert caches["template_fragments"].get(make_template_fragment_key("base_footer", ["vi"]))
    kept = client.get(path).content
    with override_settings(CACHES=UNKEPT):
        drawn = client.get(path).content
    assert first == kept == drawn
    assert "Cổng Dịch vụ công quốc gia".upper().encode() in kept


@pytest.mark.django_db
def test_the_header_follows_who_is_logged_in(client):
    assert 'href="/dang-nhap/">Đăng nhập</a>' in _header(client.get("/").content.decode())
    person = Account.objects.create_user(username="079192678902", full_name="Lê Thị Hoa",
                                         password="Mat-khau#2026", phone="+84912345678")
    client.force_login(person)
    header = _header(client.get("/").content.decode())
    assert ">Trang cá nhân</a>" in header and "Đăng nhập" not in header
    client.logout()
    assert "Trang cá nhân" not in _header(client.get("/").content.decode())


@pytest.mark.django_db
def test_the_footer_follows_the_operator_in_the_settings(client, settings):
    assert settings.PORTAL_OPERATOR["name"] in client.get("/").content.decode()
    settings.PORTAL_OPERATOR = {"name": "Cục Chuyển đổi số", "hotline": "1900 1234",
                                "email": "hotro@dichvucong.gov.vn"}
    page = client.get("/").content.decode()
    assert "Cục Chuyển đổi số" in page and "1900 1234" in page
