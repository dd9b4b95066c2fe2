"""Second factors: each verifies once and only once, backs off, is stored hashed where it
is a code; login asks for the factor chosen last and offers the others."""

import base64
import datetime as dt
import re
import time

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP

from accounts.factors.registry import (
    factor_default,
    factor_of_account,
    factors_of,
    sms_device_for,
)
from accounts.factors.services import (
    FactorKept,
    app_enrol_confirm,
    app_enrol_start,
    backup_codes_issue,
    factor_remove,
)
from accounts.models import Account, AppDevice, BackupCode, BackupCodeDevice, SmsDevice
from tests.accounts.conftest import CAPTCHA, PASSWORD, last_code

pytestmark = pytest.mark.django_db(transaction=True)
TUAN_PHONE = "+84912345017"


def _app(account) -> AppDevice:
    device = app_enrol_start(account)
    app_enrol_confirm(device)
    device.refresh_from_db()
    return device


def _at(device, at: float, drift: int) -> int:
    """The code an app holding the device's secret shows at time `at`."""
    counter = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=6, drift=drift)
    counter.time = at
    return counter.token()


def _password(client: Client, username="001084567801"):
    return client.post("/dang-nhap/", {"username": username, "password": PASSWORD, **CAPTCHA})


# The contract, factor by factor --------------------------------------------------------

def test_an_sms_code_verifies_once_and_only_once(citizen, sms_outbox):
    client = Client()
    assert _password(client).url == "/dang-nhap/xac-thuc-otp/"
    device = sms_device_for(citizen)
    code = last_code(sms_outbox, TUAN_PHONE)
    assert device.verify_token(code) is True
    assert device.verify_token(code) is False, "a code is spent once it was used"


def test_an_app_code_verifies_once_with_a_step_of_drift_either_way(citizen):
    device = _app(citizen)
    now = time.time()
    with time_machine.travel(now, tick=False):
        assert device.verify_token(_at(device, now - 30, 0)), "one step behind is accepted"
        assert not device.verify_token(_at(device, now - 30, 0)), "not twice"
    with time_machine.travel(now + 95, tick=False):
        assert not AppDevice.objects.get(pk=device.pk).verify_token(_at(device, now - 30, 0))


def test_wrong_app_codes_back_off(citizen):
    device = _app(citizen)
    now = time.time()
    with time_machine.travel(now, tick=False):
        assert not device.verify_token("000000" if _at(device, now, 0) != 0 else "111111")
        right = _at(device, now, 0)
        assert not device.verify_token(right), "a right code inside the back-off is refused"
    with time_machine.travel(now + 1.5, tick=False):
        assert device.verify_token(_at(device, now + 1.5, 0))


def test_backup_codes_are_stored_as_digests_and_each_works_once(citizen):
    codes = backup_codes_issue(citizen)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(re.fullmatch(r"\d{5}-\d{5}", code) for code in codes)
    stored = list(BackupCode.objects.values_list("digest", flat=True))
    assert not any(code.replace("-", "") in digest for code in codes for digest in stored)
    device = BackupCodeDevice.objects.get(user=citizen)
    assert device.verify_token(codes[0].replace("-", " "))
    device.refresh_from_db()
    assert not device.verify_token(codes[0]), "single use"
    assert BackupCode.objects.filter(used_at__isnull=False).count() == 1


def test_new_backup_codes_end_the_old_ones(citizen):
    old = backup_codes_issue(citizen)
    backup_codes_issue(citizen)
    assert not BackupCodeDevice.objects.get(user=citizen).verify_token(old[1])


def test_sms_is_not_turned_off_before_backup_codes_exist(citizen):
    _app(citizen)
    with pytest.raises(FactorKept) as kept:
        factor_remove(sms_device_for(citizen))
    assert kept.value.code == "no_backup", "a lost app would leave no way in"
    assert sms_device_for(citizen).confirmed


def test_the_last_factor_cannot_be_removed(citizen):
    sms = sms_device_for(citizen)
    backup_codes_issue(citizen)
    with pytest.raises(FactorKept):
        factor_remove(sms)
    app = _app(citizen)
    factor_remove(sms)
    assert [device.kind for device in factors_of(citizen)] == ["app", "backup"]
    with pytest.raises(FactorKept):
        factor_remove(app)
    assert sms_device_for(citizen).confirmed is False, "a removed SMS factor is not made again"


def test_each_change_of_factors_is_told_to_the_phone_and_recorded(citizen, sms_outbox):
    from accounts.models import AccountEvent

    app = _app(citizen)
    backup_codes_issue(citizen)
    factor_remove(app)
    told = [sms["text"] for sms in sms_outbox if sms["phone"] == TUAN_PHONE]
    assert len(told) == 3 and all("Không phải bạn" in text for text in told), told
    kinds = list(AccountEvent.objects.filter(account=citizen).order_by("at", "id")
                 .values_list("kind", "detail"))
    assert kinds == [("factor_added", {"factor": "app"}),
                     ("backup_codes_regenerated", {"factor": "backup"}),
                     ("factor_removed", {"factor": "app"})]


# Login ---------------------------------------------------------------------------------

def test_login_asks_the_factor_chosen_last_and_an_app_code_logs_in(citizen, sms_outbox):
    device = _app(citizen)
    sms_outbox.clear()  # the notice that an app was added
    client = Client()
    assert _password(client).url == "/dang-nhap/nhap-ma-xac-thuc/"
    assert not sms_outbox, "no SMS goes when the app is asked first"
    page = client.get("/dang-nhap/nhap-ma-xac-thuc/").content.decode()
    assert "ứng dụng xác thực" in page and "(sắp có)" not in page
    code = f"{_at(device, time.time(), 0):06d}"
    response = client.post("/dang-nhap/nhap-ma-xac-thuc/", {"code": code})
    assert response.url == "/trang-ca-nhan/"
    assert client.get("/trang-ca-nhan/").status_code == 200


def test_another_factor_is_chosen_on_its_page_and_asked_first_next_time(citizen, sms_outbox):
    codes = backup_codes_issue(citizen)
    _app(citizen)
    client = Client()
    assert _password(client).url == "/dang-nhap/nhap-ma-xac-thuc/", "the app just added"
    page = client.get("/dang-nhap/phuong-thuc-khac/").content.decode()
    assert "Mã OTP qua tin nhắn SMS" in page and "Ứng dụng xác thực" in page
    assert "còn 10 mã chưa dùng" in page
    backup = BackupCodeDevice.objects.get(user=citizen)
    response = client.post("/dang-nhap/phuong-thuc-khac/", {"device": backup.persistent_id})
    assert response.url == "/dang-nhap/nhap-ma-xac-thuc/"
    wrong = client.post("/dang-nhap/nhap-ma-xac-thuc/", {"code": "00000-00000"})
    assert "Mã xác thực không đúng" in wrong.content.decode()
    time.sleep(1.1)  # the back-off after one wrong code
    response = client.post("/dang-nhap/nhap-ma-xac-thuc/", {"code": codes[3]})
    assert response.url == "/trang-ca-nhan/bao-mat/", "where a lost phone is replaced"
    citizen.refresh_from_db()
    assert factor_default(citizen).kind == "app", "a backup code never becomes the default"

    client.post("/dang-xuat/")
    _password(client)
    sms = sms_device_for(citizen)
    client.post("/dang-nhap/phuong-thuc-khac/", {"device": sms.persistent_id})
    client.post("/dang-nhap/xac-thuc-otp/", {"code": last_code(sms_outbox, TUAN_PHONE)})
    citizen.refresh_from_db()
    assert factor_default(citizen).kind == "sms", "the factor chosen last is asked first"
    client.post("/dang-xuat/")
    assert _password(client).url == "/dang-nhap/xac-thuc-otp/"


def test_choosing_sms_sends_a_code(citizen, sms_outbox):
    _app(citizen)  # the app just added is asked first
    client = Client()
    _password(client)
    sms = sms_device_for(citizen)
    assert client.post("/dang-nhap/phuong-thuc-khac/", {"device": sms.persistent_id}).url \
        == "/dang-nhap/xac-thuc-otp/"
    code = last_code(sms_outbox, TUAN_PHONE)
    assert client.post("/dang-nhap/xac-thuc-otp/", {"code": code}).url == "/trang-ca-nhan/"


def test_a_factor_of_another_account_cannot_be_chosen(citizen, xuan, sms_outbox):
    _app(xuan)
    others = sms_device_for(xuan)
    client = Client()
    _password(client)
    sms_outbox.clear()
    page = client.post("/dang-nhap/phuong-thuc-khac/", {"device": others.persistent_id})
    assert page.status_code == 200 and "Chọn phương thức xác thực khác" in page.content.decode()
    assert not sms_outbox, "no code goes to another account's phone"
    assert client.get("/dang-nhap/nhap-ma-xac-thuc/").status_code == 302


def test_app_and_backup_guesses_are_capped_per_account(citizen, settings, sms_outbox):
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "factor_guess_per_account": ["3/15m"]}
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the cap, not the back-off, is under test
    device = _app(citizen)  # the app just added is asked first
    client = Client()
    _password(client)
    right = f"{_at(device, time.time(), 0):06d}"
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(3):
        client.post("/dang-nhap/nhap-ma-xac-thuc/", {"code": wrong})
    page = client.post("/dang-nhap/nhap-ma-xac-thuc/", {"code": right}).content.decode()
    assert "Bạn đã thử quá nhiều lần" in page
    assert client.get("/trang-ca-nhan/").status_code == 302


# Re-authentication ---------------------------------------------------------------------

def test_a_change_needs_a_recent_proof_and_the_proof_expires(citizen, sms_outbox, settings):
    client = Client()
    _password(client)
    client.post("/dang-nhap/xac-thuc-otp/", {"code": last_code(sms_outbox, TUAN_PHONE)})
    assert client.post("/trang-ca-nhan/bao-mat/ma-du-phong/").status_code == 200
    later = time.time() + settings.PORTAL_LIMITS["fresh_valid_seconds"] + 5
    with time_machine.travel(later, tick=False):
        response = client.post("/trang-ca-nhan/bao-mat/ma-du-phong/")
        assert response.url == "/xac-nhan-lai/?next=%2Ftrang-ca-nhan%2Fbao-mat%2F", \
            "a button's POST comes back to the page of the button"
        page = client.get(response.url).content.decode()
        assert "Chưa lưu thay đổi" in page and "Tiếp tục" in page
        client.post(response.url)
        code = last_code(sms_outbox, TUAN_PHONE)
        back = client.post("/xac-nhan-lai/xac-thuc-otp/", {"code": code})
        assert back.url == "/trang-ca-nhan/bao-mat/"
        page = client.get(back.url).content.decode()  # as a browser follows a redirect
        assert "Tạo bộ mã mới" in page
        assert "Các mã chỉ hiện một lần" in client.post(
            "/trang-ca-nhan/bao-mat/ma-du-phong/").content.decode()


def test_enrolling_an_app_shows_its_secret_until_the_first_code(citizen, sms_outbox):
    client = Client()
    _password(client)
    client.post("/dang-nhap/xac-thuc-otp/", {"code": last_code(sms_outbox, TUAN_PHONE)})
    page = client.get("/trang-ca-nhan/bao-mat/ung-dung-xac-thuc/").content.decode()
    secret = re.search(r'id="app-secret"[^>]*>([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    assert "<svg" in page and AppDevice.objects.get(user=citizen).confirmed is False
    counter = TOTP(base64.b32decode(secret))
    counter.time = time.time()
    assert client.post("/trang-ca-nhan/bao-mat/ung-dung-xac-thuc/",
                       {"code": f"{counter.token():06d}"}).url == "/trang-ca-nhan/bao-mat/"
    assert AppDevice.objects.get(user=citizen).confirmed is True
    assert secret not in client.get("/trang-ca-nhan/bao-mat/").content.decode()


def test_the_sms_factor_made_at_a_first_login_is_dated_from_the_account(citizen):
    SmsDevice.objects.filter(user=citizen).delete()
    made = timezone.now() - dt.timedelta(days=400)
    Account.objects.filter(pk=citizen.pk).update(created_at=made)
    citizen.refresh_from_db()
    device = sms_device_for(citizen)
    assert SmsDevice.objects.get(user=citizen).created_at == made == device.created_at
    assert sms_device_for(citizen).pk == device.pk, "made once"


@pytest.mark.parametrize("persistent_id", [
    "", "accounts.smsdevice", "accounts.smsdevice/x", "nowhere.nothing/1", "otp_totp.totpdevice/1",
])
def test_a_factor_is_read_with_its_account_only_when_both_still_work(citizen, persistent_id):
    device = sms_device_for(citizen)
    found = factor_of_account(citizen.pk, device.persistent_id)
    assert found == device and found.user == citizen
    assert factor_of_account(citizen.pk + 1, device.persistent_id) is None, "another's"
    assert factor_of_account(citizen.pk, persistent_id) is None
    Account.objects.filter(pk=citizen.pk).update(is_active=False)
    assert factor_of_account(citizen.pk, device.persistent_id) is None, "a disabled account"
