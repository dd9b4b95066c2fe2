import pytest
from django.db import OperationalError


@pytest.mark.django_db
@pytest.mark.parametrize("url,text", [
    ("/", "CỔNG DỊCH VỤ CÔNG QUỐC GIA"),
    ("/dang-ky/", "Chọn phương thức đăng ký".lower()),
    ("/dieu-khoan/", "Điều khoản sử dụng"),
    ("/chinh-sach-chia-se-thong-tin/", "Quyền của bạn"),
])
def test_it_serves_the_public_pages(client, url, text):
    response = client.get(url)
    assert response.status_code == 200
    assert text.lower() in response.content.decode().lower()


@pytest.mark.django_db
def test_it_offers_every_method_in_the_chooser(client):
    page = client.get("/dang-ky/").content.decode()
    for method in ("mobile", "bhxh", "vnpost"):
        assert f'href="/dang-ky/{method}/"' in page
    for kind in ("cong-dan", "doanh-nghiep"):
        assert f'href="/dang-ky/usb-ky-so/{kind}/"' in page
        assert f'href="/dang-ky/sim-ky-so/{kind}/"' in page
    assert 'aria-disabled="true"' not in page, "every method is built"


@pytest.mark.django_db
def test_it_answers_503_when_the_database_is_unreachable(client, monkeypatch):
    def unreachable(self, *args, **kwargs):
        raise OperationalError("connection refused")

    wrapper = "django.db.backends.base.base.BaseDatabaseWrapper"
    monkeypatch.setattr(wrapper + ".cursor", unreachable)
    monkeypatch.setattr(wrapper + ".ensure_connection", unreachable)
    response = client.get("/health/")
    assert response.status_code == 503
    assert "tạm thời gián đoạn" in response.content.decode()


@pytest.mark.django_db
def test_it_refuses_a_form_posted_without_its_csrf_token():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/dang-nhap/", {"username": "001084567801"})
    assert response.status_code == 403
    assert "tải lại trang" in response.content.decode()


@pytest.mark.django_db
def test_it_does_not_call_a_query_error_an_outage(client, monkeypatch):
    def broken(self, *args, **kwargs):
        raise OperationalError("no such column: accounts_account.nickname")

    monkeypatch.setattr("django.db.backends.base.base.BaseDatabaseWrapper.cursor", broken)
    client.raise_request_exception = False
    response = client.get("/health/")
    assert response.status_code == 500
    assert "Hệ thống gặp sự cố" in response.content.decode()
