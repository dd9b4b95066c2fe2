""""Lịch sử hoạt động": each event is recorded where it happens, kept 90 days without
edits, and shown to its account's holder only."""

import datetime as dt
import json

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.test import Client
from django.utils import timezone

from accounts.activity import activity_record
from accounts.models import Account, AccountEvent
from accounts.services import housekeeping_purge
from sandbox.sim_service import SIM_PIN, shared_service
from tests.accounts.conftest import CAPTCHA, PASSWORD, last_code
from tests.operator_console.conftest import WALK_IN, clerk, units  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)
TUAN = {"username": "001084567801", "phone": "0912345017"}
TUAN_PHONE = "+84912345017"
NEW = "Moi#Matkhau2027"
PHONE_UA = ("Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Mobile Safari/537.36")
PAGE = "/trang-ca-nhan/lich-su-hoat-dong/"
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="the trigger lives in PostgreSQL")


def _client() -> Client:
    return Client(HTTP_USER_AGENT=PHONE_UA, REMOTE_ADDR="203.0.113.57")


def _password(client, password=PASSWORD):
    return client.post("/dang-nhap/", {"username": TUAN["username"], "password": password,
                                       **CAPTCHA})


def _logged_in(sms_outbox) -> Client:
    client = _client()
    _password(client)
    client.post("/dang-nhap/xac-thuc-otp/", {"code": last_code(sms_outbox, TUAN_PHONE)})
    return client


def _kinds(account) -> list[tuple[str, dict]]:
    return [(e.kind, e.detail) for e in AccountEvent.objects.filter(account=account)
            .order_by("id")]


def test_it_records_a_login_with_its_method_device_and_hidden_address(citizen, sms_outbox):
    _logged_in(sms_outbox)
    event = AccountEvent.objects.get()
    assert (event.kind, event.detail) == ("login", {"method": "password", "factor": "sms"})
    assert (event.device, event.address) == ("Chrome · Android", "203.0.113.*")
    assert event.summary == "Đăng nhập bằng mật khẩu và mã OTP qua SMS"


def test_a_wrong_password_is_recorded_only_for_an_account_that_exists(citizen, sms_outbox):
    refused = "Tên đăng nhập hoặc mật khẩu không đúng"
    for _ in range(2):
        assert refused in _password(_client(), "Sai#Matkhau2027").content.decode()
    nobody = _client().post("/dang-nhap/", {"username": "079192678999",
                                            "password": "Sai#Matkhau2027", **CAPTCHA})
    assert refused in nobody.content.decode()  # told the same, and nothing recorded
    assert _kinds(citizen) == [("login_failed", {"step": "password"})] * 2
    assert AccountEvent.objects.count() == 2


def test_wrong_codes_at_login_are_recorded_but_not_tries_at_a_dead_code(citizen, sms_outbox,
                                                                        settings):
    client = _client()
    _password(client)
    right = last_code(sms_outbox, TUAN_PHONE)
    wrong = "".join(str((int(digit) + 1) % 10) for digit in right)
    tries = settings.PORTAL_LIMITS["code_max_failures"] + 2
    for _ in range(tries):
        client.post("/dang-nhap/xac-thuc-otp/", {"code": wrong})
    failed = settings.PORTAL_LIMITS["code_max_failures"]  # the last one killed the code
    assert _kinds(citizen) == [("login_failed", {"step": "code"})] * failed
    assert AccountEvent.objects.first().summary == "Nhập sai mã xác thực khi đăng nhập"


def test_a_change_and_a_reset_of_the_password_are_told_apart(citizen, sms_outbox):
    client = _logged_in(sms_outbox)
    client.post("/trang-ca-nhan/doi-mat-khau/",
                {"old_password": PASSWORD, "password1": NEW, "password2": NEW})
    reset = _client()
    reset.post("/quen-mat-khau/", {**TUAN, **CAPTCHA})
    reset.post("/quen-mat-khau/xac-thuc-otp/", {"code": last_code(sms_outbox, TUAN_PHONE)})
    reset.post("/quen-mat-khau/mat-khau-moi/", {"password1": PASSWORD, "password2": PASSWORD})
    assert [kind for kind, _ in _kinds(citizen)] == [
        "login", "password_changed", "password_reset"]
    assert AccountEvent.objects.filter(kind="password_reset").get().device == "Chrome · Android"


def test_ending_other_logins_is_recorded_with_how_many(citizen, sms_outbox):
    phone, *_others = (_logged_in(sms_outbox) for _ in range(3))
    another = citizen.logins.exclude(session_key=phone.session.session_key).first()
    phone.post(f"/trang-ca-nhan/phien-dang-nhap/{another.pk}/dang-xuat/")
    phone.post("/trang-ca-nhan/phien-dang-nhap/dang-xuat-thiet-bi-khac/")
    phone.post("/trang-ca-nhan/phien-dang-nhap/dang-xuat-thiet-bi-khac/")  # none left
    ended = AccountEvent.objects.filter(kind="logout_other").order_by("id")
    assert [event.detail for event in ended] == [{"count": 1}, {"count": 1}]
    assert ended[0].summary == "Đăng xuất khỏi 1 thiết bị khác"


def test_a_sim_login_is_recorded_by_its_method(client, citizen, trusted_dev_ca, settings):
    settings.SIM_SIGNATURE_SERVICE = {
        "BACKEND": "sandbox.registries.SandboxSimSignatureService", "OPTIONS": {}}
    wait = client.post("/dang-nhap/sim-ky-so/", {"phone": TUAN["phone"]}).url
    shared_service().approve(shared_service().pending(TUAN_PHONE)[0]["session_id"], SIM_PIN)
    assert client.get(client.post(wait + "trang-thai/").json()["next"]).url == "/trang-ca-nhan/"
    event = AccountEvent.objects.get()
    assert (event.detail, event.summary) == ({"method": "sim"}, "Đăng nhập bằng SIM ký số")


def test_a_counter_creation_and_a_new_first_password_are_recorded(clerk, units):  # noqa: F811
    from operator_console.services import counter_account_create, counter_password_resend

    person = {**WALK_IN, "birth_date": dt.date(1995, 5, 12), "phone": "+84912345111"}
    unit = units["S-X11953"]
    account, _ = counter_account_create(clerk=clerk, unit=unit, person=person, ip="10.0.0.1",
                                        scan={"name": "scan", "type": "pdf"})
    counter_password_resend(clerk=clerk, record=account.counter_record, ip="10.0.0.1")
    events = list(AccountEvent.objects.filter(account=account).order_by("id"))
    assert [event.kind for event in events] == ["counter_created", "counter_password_issued"]
    assert events[0].summary == f"Cán bộ một cửa tạo tài khoản tại {unit.name}"
    assert clerk.full_name not in json.dumps(events[0].detail, ensure_ascii=False)


def test_the_factor_kinds_read_with_the_factors_name(citizen):
    added = activity_record(citizen, "factor_added", factor="app")
    removed = activity_record(citizen, "factor_removed", factor="passkey")
    assert added.summary == "Thêm phương thức xác thực: Ứng dụng xác thực"
    assert removed.summary == "Gỡ phương thức xác thực: Khóa truy cập"
    for kind in ("backup_codes_regenerated", "backup_code_used", "phone_changed",
                 "email_changed"):
        assert activity_record(citizen, kind).summary


def test_nothing_personal_goes_into_the_detail(citizen, sms_outbox):
    with pytest.raises(ValueError):
        activity_record(citizen, "phone_changed", phone=TUAN_PHONE)
    with pytest.raises(ValueError):
        activity_record(citizen, "logged_in")
    _password(_client(), "Sai#Matkhau2027")
    client = _logged_in(sms_outbox)
    client.post("/trang-ca-nhan/doi-mat-khau/",
                {"old_password": PASSWORD, "password1": NEW, "password2": NEW})
    stored = json.dumps([e.detail for e in AccountEvent.objects.all()], ensure_ascii=False)
    codes = [m["text"] for m in sms_outbox]
    for secret in (TUAN["username"], TUAN["phone"][1:], PASSWORD, NEW, "Sai#", *codes):
        assert secret not in stored


@postgres_only
def test_the_database_refuses_to_edit_or_delete_a_recent_event(citizen):
    event = activity_record(citizen, "password_changed")
    for change in (lambda: AccountEvent.objects.filter(pk=event.pk).update(kind="login"),
                   lambda: AccountEvent.objects.filter(pk=event.pk).delete()):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    assert AccountEvent.objects.filter(pk=event.pk, kind="password_changed").exists()
    with pytest.raises(ProtectedError):  # an account with events is deactivated instead
        citizen.delete()


@postgres_only
def test_the_applications_role_cannot_empty_the_table(citizen):
    """As a role like the application's in production (no superuser, every privilege on
    the table); created here and gone with the test's transaction."""
    activity_record(citizen, "password_changed")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE ROLE dvc_portal_events_probe NOSUPERUSER NOLOGIN")
        cursor.execute("GRANT ALL ON accounts_accountevent TO dvc_portal_events_probe")
        cursor.execute("SET LOCAL ROLE dvc_portal_events_probe")
        with pytest.raises(DatabaseError) as refused, transaction.atomic():
            cursor.execute("TRUNCATE accounts_accountevent")
        assert "truncated" in str(refused.value)
        transaction.set_rollback(True)
    assert AccountEvent.objects.count() == 1


def test_housekeeping_deletes_the_events_older_than_90_days_only(citizen):
    long_ago = timezone.now() - dt.timedelta(days=91)
    old = AccountEvent.objects.create(account=citizen, kind="login", at=long_ago)
    recent = AccountEvent.objects.create(account=citizen, kind="login",
                                         at=timezone.now() - dt.timedelta(days=89))
    assert housekeeping_purge()["events"] == 1
    assert list(AccountEvent.objects.values_list("pk", flat=True)) == [recent.pk]
    if connection.vendor == "postgresql":  # not even an old row may be changed
        with pytest.raises(DatabaseError), transaction.atomic():
            AccountEvent.objects.filter(pk=recent.pk).update(at=long_ago)
    assert not AccountEvent.objects.filter(pk=old.pk).exists()


def test_the_page_shows_the_owners_last_90_days_newest_first(citizen, sms_outbox):
    stranger = Account.objects.create_user(username="079192678902", password=PASSWORD,
                                           full_name="Người Khác", phone="+84912345099")
    activity_record(stranger, "phone_changed")
    AccountEvent.objects.create(account=citizen, kind="email_changed",
                                at=timezone.now() - dt.timedelta(days=91))
    activity_record(citizen, "password_changed")
    page = _logged_in(sms_outbox).get(PAGE).content.decode()
    assert page.index("Đăng nhập bằng mật khẩu") < page.index("Đổi mật khẩu")
    assert "Đổi số điện thoại" not in page and "Đổi email" not in page
    assert "Chrome · Android" in page and "203.0.113.*" in page
    assert timezone.localtime().strftime("%d/%m/%Y") in page


def test_the_page_shows_50_events_a_page(citizen):
    now = timezone.now()
    AccountEvent.objects.bulk_create(
        AccountEvent(account=citizen, kind="login_failed", detail={"step": "password"},
                     at=now - dt.timedelta(minutes=n)) for n in range(51))
    client = Client()
    client.force_login(citizen)
    first = client.get(PAGE).content.decode()
    assert first.count("Nhập sai mật khẩu") == 50 and "Trang 1/2" in first
    assert client.get(PAGE + "?trang=2").content.decode().count("Nhập sai mật khẩu") == 1


def test_the_page_needs_a_login():
    response = Client().get(PAGE)
    assert response.status_code == 302 and response.url.startswith("/dang-nhap/")
