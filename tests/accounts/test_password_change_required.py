"""A password chosen by someone else (a counter's SMS) must be changed before anything."""

import pytest

from accounts.models import Account
from tests.accounts.conftest import fresh_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def given_password(db):
    account = Account(username="033095012345", full_name="Hoàng Văn Nam",
                      phone="+84912345111", must_change_password=True)
    account.set_password("Cap#Boi9Quay")
    account.save()
    return account


def test_it_sends_every_page_to_the_password_change(client, given_password):
    fresh_login(client, given_password)
    for url in ("/trang-ca-nhan/", "/quan-tri/tao-tai-khoan-cong-dan/", "/dang-ky/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == "/trang-ca-nhan/doi-mat-khau/"
    page = client.get("/trang-ca-nhan/doi-mat-khau/").content.decode()
    assert "Vui lòng đổi mật khẩu để tiếp tục" in page


def test_it_lets_go_once_the_password_is_changed(client, given_password):
    fresh_login(client, given_password)
    client.post("/trang-ca-nhan/doi-mat-khau/", {
        "old_password": "Cap#Boi9Quay", "password1": "Nam@2026quay", "password2": "Nam@2026quay",
    })
    given_password.refresh_from_db()
    assert not given_password.must_change_password
    assert client.get("/trang-ca-nhan/").status_code == 200
