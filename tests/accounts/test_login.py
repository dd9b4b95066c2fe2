import pytest

from tests.accounts.conftest import CAPTCHA, PASSWORD, last_code

pytestmark = pytest.mark.django_db(transaction=True)
TUAN_PHONE = "+84912345017"
REFUSED = "Tên đăng nhập hoặc mật khẩu không đúng"


def _password_step(client, username="001084567801", password=PASSWORD):
    return client.post("/dang-nhap/", {"username": username, "password": password, **CAPTCHA})


def test_it_logs_in_with_password_then_sms_code(client, citizen, sms_outbox):
    response = _password_step(client)
    assert response.url == "/dang-nhap/xac-thuc-otp/"
    assert "0912xxx017" in client.get(response.url).content.decode()
    session_before = client.session.session_key
    response = client.post("/dang-nhap/xac-thuc-otp/", {"code": last_code(sms_outbox, TUAN_PHONE)})
    assert response.url == "/trang-ca-nhan/"
    assert client.session.session_key != session_before, "session key rotated at login"
    page = client.get("/trang-ca-nhan/").content.decode()
    assert "Cao Văn Tuấn" in page and "Mức độ 2" in page and "Thuê bao di động" in page


def test_it_does_not_log_in_on_the_password_alone(client, citizen):
    _password_step(client)
    assert client.get("/trang-ca-nhan/").status_code == 302


@pytest.mark.parametrize("username,password,active", [
    ("001084567801", "Wrong@2026x", True),   # wrong password
    ("079192678902", PASSWORD, True),        # unknown ID
    ("001084567801", PASSWORD, False),       # locked account
])
def test_it_gives_one_answer_to_every_refusal(client, citizen, sms_outbox, username, password,
                                              active):
    citizen.is_active = active
    citizen.save()
    page = _password_step(client, username, password).content.decode()
    assert REFUSED in page
    assert sms_outbox == []


def test_it_throttles_password_guesses_per_account(client, citizen, sms_outbox, settings):
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "password_per_account": ["3/15m"]}
    for _ in range(3):
        _password_step(client, password="Wrong@2026x")
    page = _password_step(client).content.decode()
    assert REFUSED in page, "even the right password is refused while throttled"
    assert sms_outbox == []


def test_it_throttles_password_guesses_per_address(client, citizen, settings):
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "password_per_ip": ["2/15m"]}
    for number in ("079192678902", "012345678"):
        _password_step(client, number, "Wrong@2026x")
    assert REFUSED in _password_step(client).content.decode()


def test_it_logs_out_on_post_only(client, citizen, sms_outbox):
    _password_step(client)
    client.post("/dang-nhap/xac-thuc-otp/", {"code": last_code(sms_outbox, TUAN_PHONE)})
    assert client.get("/dang-xuat/").status_code == 405
    client.post("/dang-xuat/")
    assert client.get("/trang-ca-nhan/").status_code == 302


def test_it_changes_the_password_from_the_personal_page(client, citizen, sms_outbox):
    _password_step(client)
    client.post("/dang-nhap/xac-thuc-otp/", {"code": last_code(sms_outbox, TUAN_PHONE)})
    new = "Moi#Matkhau2027"
    wrong_old = client.post("/trang-ca-nhan/doi-mat-khau/",
                            {"old_password": "x", "password1": new, "password2": new})
    assert "Mật khẩu hiện tại không đúng" in wrong_old.content.decode()
    response = client.post("/trang-ca-nhan/doi-mat-khau/",
                           {"old_password": PASSWORD, "password1": new, "password2": new})
    assert response.url == "/trang-ca-nhan/"
    citizen.refresh_from_db()
    assert citizen.check_password(new)
    assert client.get("/trang-ca-nhan/").status_code == 200, "this session stays logged in"


@pytest.mark.parametrize("target,lands", [
    ("/dieu-khoan/", "/dieu-khoan/"),
    ("https://evil.example/", "/trang-ca-nhan/"),
    ("//evil.example/", "/trang-ca-nhan/"),
])
def test_it_returns_only_to_pages_of_this_site(client, citizen, sms_outbox, target, lands):
    client.post(f"/dang-nhap/?next={target}",
                {"username": "001084567801", "password": PASSWORD, **CAPTCHA})
    response = client.post("/dang-nhap/xac-thuc-otp/", {"code": last_code(sms_outbox, TUAN_PHONE)})
    assert response.url == lands


def test_it_opens_the_django_admin_to_superusers_only(client, citizen, sms_outbox):
    assert client.get("/quan-tri-he-thong/").url.startswith("/quan-tri-he-thong/login/")
    assert client.get("/quan-tri-he-thong/login/").url.startswith("/dang-nhap/?next=")
    _password_step(client)
    client.post("/dang-nhap/xac-thuc-otp/", {"code": last_code(sms_outbox, TUAN_PHONE)})
    assert client.get("/quan-tri-he-thong/").status_code == 302
    citizen.is_superuser = citizen.is_staff = True
    citizen.save()
    assert client.get("/quan-tri-he-thong/").status_code == 200
