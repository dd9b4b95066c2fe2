import pytest

from accounts.models import Account, VerificationCode
from tests.accounts.conftest import AN, CAPTCHA, KHOA_NOT_OWNER, PASSWORD, QUYNH_TIMEOUT, last_code

pytestmark = pytest.mark.django_db(transaction=True)
FORM = "/dang-ky/mobile/"


def _identity(client, person=AN):
    return client.post(FORM, {**person, **CAPTCHA})


def test_it_registers_a_citizen_at_level_two(client, sms_outbox):
    response = _identity(client)
    assert response.status_code == 302 and response.url == "/dang-ky/xac-thuc-otp/"
    otp_page = client.get("/dang-ky/xac-thuc-otp/").content.decode()
    assert "091****001" in otp_page
    response = client.post("/dang-ky/xac-thuc-otp/", {"code": last_code(sms_outbox)})
    assert response.url == "/dang-ky/mat-khau/"
    response = client.post("/dang-ky/mat-khau/", {"password1": PASSWORD, "password2": PASSWORD})
    assert response.url == "/dang-nhap/"
    account = Account.objects.get(username="001090012345")
    assert (account.full_name, account.phone, account.assurance_level) == (
        "Nguyễn Văn An", "+84912345001", 2)
    assert account.registration_method == "mobile" and account.verified_by == "Nhà mạng di động"
    assert account.terms_version and account.terms_accepted_at
    assert account.check_password(PASSWORD)
    assert account.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_it_shows_the_three_ways_out_for_an_existing_id(client, citizen, sms_outbox):
    person = {"id_number": citizen.username, "full_name": "Cao Văn Tuấn",
              "birth_date": "21/01/1984", "phone": "0912345017", "email": ""}
    response = _identity(client, person)
    page = response.content.decode()
    assert response.status_code == 409
    assert "đã có tài khoản" in page and "Quên mật khẩu" in page
    assert "quầy giao dịch" in page and "khiếu nại" in page
    assert sms_outbox == []


def test_it_refuses_a_phone_registered_to_someone_else(client, sms_outbox):
    page = _identity(client, KHOA_NOT_OWNER).content.decode()
    assert "không đăng ký chính chủ" in page
    assert 'value="Ngô Văn Khoa"' in page, "typed data stays in the form"
    assert sms_outbox == [] and not VerificationCode.objects.exists()


def test_it_offers_a_retry_when_the_carrier_times_out(client, sms_outbox):
    page = _identity(client, QUYNH_TIMEOUT).content.decode()
    assert "không phản hồi" in page and "thử lại" in page
    assert 'value="027191234560"' in page
    assert not Account.objects.exists() and sms_outbox == []


@pytest.mark.parametrize("field,value,message", [
    ("id_number", "12345", "CCCD gồm 12 chữ số"),
    ("birth_date", "1990-03-15", "ngày/tháng/năm"),
    ("phone", "02438123456", "số di động Việt Nam"),
    ("full_name", "   ", "Bạn phải nhập họ tên"),
])
def test_it_explains_bad_input_in_vietnamese(client, field, value, message):
    response = client.post(FORM, {**AN, **CAPTCHA, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_it_refuses_a_wrong_captcha(client, sms_outbox):
    response = client.post(FORM, {**AN, "captcha_0": "nope", "captcha_1": "WRONG"})
    assert "Mã xác thực không đúng" in response.content.decode()
    assert sms_outbox == []


@pytest.mark.parametrize("url", ["/dang-ky/xac-thuc-otp/", "/dang-ky/mat-khau/"])
def test_it_sends_a_skipped_step_back_to_the_start(client, url):
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == "/dang-ky/"
    assert "bắt đầu lại" in response.content.decode()


def test_it_refuses_weak_and_mismatched_passwords(client, sms_outbox):
    _identity(client)
    client.post("/dang-ky/xac-thuc-otp/", {"code": last_code(sms_outbox)})
    weak = client.post("/dang-ky/mat-khau/", {"password1": "abc12345", "password2": "abc12345"})
    assert "chữ in hoa" in weak.content.decode()
    common = client.post("/dang-ky/mat-khau/",
                         {"password1": "Password1!", "password2": "Password1!"})
    assert "phổ biến" in common.content.decode()
    mismatch = client.post("/dang-ky/mat-khau/",
                           {"password1": PASSWORD, "password2": PASSWORD + "x"})
    assert "không khớp" in mismatch.content.decode()
    assert not Account.objects.exists()


def test_it_lets_only_one_of_two_racing_registrations_win(client, sms_outbox):
    _identity(client)
    client.post("/dang-ky/xac-thuc-otp/", {"code": last_code(sms_outbox)})
    Account.objects.create(username=AN["id_number"], full_name="Someone faster")
    response = client.post("/dang-ky/mat-khau/", {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 409
    assert Account.objects.get().full_name == "Someone faster"


def test_it_capitalises_a_name_typed_all_in_lower_case(client, sms_outbox):
    _identity(client, {**AN, "full_name": "  nguyễn   văn an "})
    client.post("/dang-ky/xac-thuc-otp/", {"code": last_code(sms_outbox)})
    client.post("/dang-ky/mat-khau/", {"password1": PASSWORD, "password2": PASSWORD})
    assert Account.objects.get().full_name == "Nguyễn Văn An"


def test_it_says_nothing_of_an_existing_account_to_who_does_not_know_the_person(client, citizen):
    page = _identity(client, {**AN, "id_number": citizen.username}).content.decode()
    assert "không đăng ký chính chủ" in page and "đã có tài khoản" not in page


def test_it_caps_registry_checks_per_address(client, settings, sms_outbox):
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "registry_per_ip": ["2/1h"]}
    for _ in range(2):
        _identity(client, KHOA_NOT_OWNER)
    page = _identity(client, AN).content.decode()
    assert "Bạn đã thử quá nhiều lần" in page and sms_outbox == []
