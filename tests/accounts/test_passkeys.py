"""Passkeys (WebAuthn): added on "Bảo mật tài khoản", then asked after the password.

A software authenticator stands in for the phone or the security key: an EC P-256 key,
"none" attestation, and assertions signed here, as a browser would hand them over.
"""

import hashlib
import html
import json
import os
import re
import time

import pytest
import time_machine
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url, encode_cbor

from accounts.crypto import keyed_digest
from accounts.factors.passkey import relying_party
from accounts.factors.registry import factor_default, sms_device_for
from accounts.models import PasskeyDevice
from tests.accounts.conftest import CAPTCHA, PASSWORD, last_code

pytestmark = pytest.mark.django_db(transaction=True)
TUAN_PHONE = "+84912345017"
ORIGIN = "http://testserver"  # Django's test client: a domain name, as passkeys need
UP, UV, AT = 0x01, 0x04, 0x40  # authenticator data flags: present, verified, key attached


class SoftAuthenticator:
    """A passkey in software. `counting`: its sign count grows with each use (security
    keys); synced passkeys keep theirs at 0."""

    def __init__(self, *, counting: bool = True):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.sign_count = 0
        self.counting = counting

    @property
    def id(self) -> str:
        return bytes_to_base64url(self.credential_id)

    def create(self, options: dict, *, verified: bool = True, origin: str = ORIGIN) -> str:
        """What navigator.credentials.create() gives for `options`, as passkey.js posts it."""
        numbers = self.key.public_key().public_numbers()
        cose = encode_cbor({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"),
                            -3: numbers.y.to_bytes(32, "big")})
        attested = bytes(16) + len(self.credential_id).to_bytes(2, "big") + self.credential_id
        data = self._data(options["rp"]["id"], UP | AT | (UV if verified else 0)) + attested + cose
        client = self._client("webauthn.create", options["challenge"], origin)
        attestation = encode_cbor({"fmt": "none", "attStmt": {}, "authData": data})
        return self._json(clientDataJSON=client, attestationObject=attestation,
                          transports=["internal"])

    def get(self, options: dict, *, verified: bool = True, challenge: str | None = None,
            origin: str = ORIGIN) -> str:
        """What navigator.credentials.get() gives: `options`' challenge signed (or another)."""
        if self.counting:
            self.sign_count += 1
        data = self._data(options["rpId"], UP | (UV if verified else 0))
        client = self._client("webauthn.get", challenge or options["challenge"], origin)
        signature = self.key.sign(data + hashlib.sha256(client).digest(),
                                  ec.ECDSA(hashes.SHA256()))
        return self._json(clientDataJSON=client, authenticatorData=data, signature=signature,
                          userHandle=None)

    def _data(self, rp_id: str, flags: int) -> bytes:
        return (hashlib.sha256(rp_id.encode()).digest() + bytes([flags])
                + self.sign_count.to_bytes(4, "big"))

    @staticmethod
    def _client(kind: str, challenge: str, origin: str) -> bytes:
        return json.dumps({"type": kind, "challenge": challenge, "origin": origin,
                           "crossOrigin": False}).encode()

    def _json(self, **response) -> str:
        response = {key: bytes_to_base64url(value) if isinstance(value, bytes) else value
                    for key, value in response.items()}
        return json.dumps({"id": self.id, "rawId": self.id, "type": "public-key",
                           "authenticatorAttachment": "platform", "response": response,
                           "clientExtensionResults": {}})


def _options(page) -> dict:
    """The options the page hands to passkey.js."""
    text = page.content.decode() if hasattr(page, "content") else page
    return json.loads(html.unescape(re.search(r'data-options="([^"]*)"', text).group(1)))


def _password(client: Client, username="001084567801"):
    return client.post("/dang-nhap/", {"username": username, "password": PASSWORD, **CAPTCHA})


def _logged_in(username="001084567801", phone=TUAN_PHONE, outbox=None) -> Client:
    client = Client()
    assert _password(client, username).url == "/dang-nhap/xac-thuc-otp/"
    client.post("/dang-nhap/xac-thuc-otp/", {"code": last_code(outbox, phone)})
    return client


def _enrol(client: Client, authenticator: SoftAuthenticator, name="Điện thoại của tôi"):
    page = client.get("/trang-ca-nhan/bao-mat/khoa-truy-cap/")
    return client.post("/trang-ca-nhan/bao-mat/khoa-truy-cap/", {
        "name": name, "credential": authenticator.create(_options(page))})


def _with_passkey(account, outbox, *authenticators) -> None:
    client = _logged_in(account.username, account.phone, outbox)
    for authenticator in authenticators:
        assert _enrol(client, authenticator).url == "/trang-ca-nhan/bao-mat/"


def _passkey_step(client: Client, username="001084567801") -> dict:
    assert _password(client, username).url == "/dang-nhap/khoa-truy-cap/"
    return _options(client.get("/dang-nhap/khoa-truy-cap/"))


def _answer(client: Client, credential: str):
    return client.post("/dang-nhap/khoa-truy-cap/", {"credential": credential})


REFUSED = "Không xác thực được bằng khóa truy cập"


# Adding one ----------------------------------------------------------------------------

def test_it_adds_a_passkey_that_becomes_the_default(citizen, sms_outbox):
    client = _logged_in(outbox=sms_outbox)
    page = client.get("/trang-ca-nhan/bao-mat/").content.decode()
    assert 'href="/trang-ca-nhan/bao-mat/khoa-truy-cap/"' in page and "Thêm khóa truy cập" in page
    page = client.get("/trang-ca-nhan/bao-mat/khoa-truy-cap/")
    assert "Tên gợi nhớ" in page.content.decode() and "js/passkey.js" in page.content.decode()
    options = _options(page)
    assert options["rp"]["id"] == "testserver"
    assert options["authenticatorSelection"]["userVerification"] == "required"
    assert options["authenticatorSelection"]["residentKey"] == "preferred"
    handle = bytes.fromhex(keyed_digest("passkey-user", str(citizen.pk)))
    assert base64url_to_bytes(options["user"]["id"]) == handle, "stable, not the ID number"
    assert citizen.username not in json.dumps(options), "the ID number is never in the options"
    key = SoftAuthenticator()
    response = client.post("/trang-ca-nhan/bao-mat/khoa-truy-cap/", {
        "name": "Điện thoại của tôi", "credential": key.create(options)})
    assert response.url == "/trang-ca-nhan/bao-mat/"
    device = PasskeyDevice.objects.get(user=citizen)
    assert (device.name, device.credential_id, device.transports) == (
        "Điện thoại của tôi", key.id, ["internal"])
    citizen.refresh_from_db()
    assert factor_default(citizen) == device
    page = client.get(response.url).content.decode()
    assert "Đã thêm khóa truy cập “Điện thoại của tôi”" in page
    assert "Khóa truy cập (passkey)" in page and "(Điện thoại của tôi)" in page


def test_adding_refuses_a_key_without_user_verification_or_for_another_challenge(
        citizen, sms_outbox):
    client = _logged_in(outbox=sms_outbox)
    options = _options(client.get("/trang-ca-nhan/bao-mat/khoa-truy-cap/"))
    page = client.post("/trang-ca-nhan/bao-mat/khoa-truy-cap/", {
        "name": "Khóa USB", "credential": SoftAuthenticator().create(options, verified=False)})
    assert "Không thêm được khóa truy cập" in page.content.decode()
    assert _options(page)["challenge"] != options["challenge"], "each page asks anew"
    page = client.post("/trang-ca-nhan/bao-mat/khoa-truy-cap/", {
        "name": "Khóa USB", "credential": SoftAuthenticator().create(options)})
    assert "Không thêm được khóa truy cập" in page.content.decode()
    page = client.post("/trang-ca-nhan/bao-mat/khoa-truy-cap/", {"name": "", "credential": ""})
    assert "Bạn phải đặt tên gợi nhớ" in page.content.decode()
    page = client.post("/trang-ca-nhan/bao-mat/khoa-truy-cap/", {"name": "Khóa USB"})
    assert "Trình duyệt chưa gửi xác nhận của khóa truy cập" in page.content.decode()
    assert not PasskeyDevice.objects.exists()


def test_adding_a_passkey_needs_a_recent_proof(citizen, sms_outbox, settings):
    client = _logged_in(outbox=sms_outbox)
    later = time.time() + settings.PORTAL_LIMITS["fresh_valid_seconds"] + 5
    with time_machine.travel(later, tick=False):
        response = client.get("/trang-ca-nhan/bao-mat/khoa-truy-cap/")
        assert response.url.startswith("/xac-nhan-lai/?next=")


def test_an_account_holds_several_passkeys_and_any_of_them_logs_in(citizen, sms_outbox):
    phone, usb = SoftAuthenticator(), SoftAuthenticator()
    client = _logged_in(outbox=sms_outbox)
    assert _enrol(client, phone).url == "/trang-ca-nhan/bao-mat/"
    options = _options(client.get("/trang-ca-nhan/bao-mat/khoa-truy-cap/"))
    assert [item["id"] for item in options["excludeCredentials"]] == [phone.id]
    assert _enrol(client, usb, name="Khóa USB").url == "/trang-ca-nhan/bao-mat/"
    client.post("/dang-xuat/")
    options = _passkey_step(client)
    assert {item["id"] for item in options["allowCredentials"]} == {phone.id, usb.id}
    assert options["userVerification"] == "required"
    assert _answer(client, phone.get(options)).url == "/trang-ca-nhan/"
    client.post("/dang-xuat/")
    options = _passkey_step(client)
    assert _answer(client, usb.get(options)).url == "/trang-ca-nhan/", "not only the default"
    used = PasskeyDevice.objects.get(credential_id=usb.id)
    assert used.sign_count == 1 and used.last_used_at is not None
    citizen.refresh_from_db()
    assert factor_default(citizen) == used, "the passkey that answered is asked first next"


# Logging in ----------------------------------------------------------------------------

def test_a_passkey_logs_in_after_the_password(citizen, sms_outbox):
    key = SoftAuthenticator()
    _with_passkey(citizen, sms_outbox, key)
    sms_outbox.clear()
    client = Client()
    options = _passkey_step(client)
    assert not sms_outbox, "no SMS goes when a passkey is asked first"
    page = client.get("/dang-nhap/khoa-truy-cap/").content.decode()
    assert "Dùng khóa truy cập" in page and "Chọn phương thức xác thực khác" in page
    assert 'href="/dang-nhap/phuong-thuc-khac/"' in page
    assert _answer(client, key.get(options)).url == "/trang-ca-nhan/"
    assert client.get("/trang-ca-nhan/").status_code == 200
    device = PasskeyDevice.objects.get(user=citizen)
    assert device.sign_count == 1 and device.last_used_at is not None


def test_an_answer_to_another_challenge_is_refused(citizen, sms_outbox):
    key = SoftAuthenticator()
    _with_passkey(citizen, sms_outbox, key)
    client = Client()
    options = _passkey_step(client)
    other = bytes_to_base64url(os.urandom(64))
    page = _answer(client, key.get(options, challenge=other))
    assert REFUSED in page.content.decode()
    assert client.get("/trang-ca-nhan/").status_code == 302
    renewed = _options(page)
    assert renewed["challenge"] != options["challenge"], "a challenge is checked once"
    assert _answer(client, key.get(options)).status_code == 200, "the old one is spent"
    assert _answer(client, key.get(_options(client.get("/dang-nhap/khoa-truy-cap/")))).url \
        == "/trang-ca-nhan/"


def test_an_answer_from_another_origin_is_refused(citizen, sms_outbox):
    key = SoftAuthenticator()
    _with_passkey(citizen, sms_outbox, key)
    client = Client()
    options = _passkey_step(client)
    page = _answer(client, key.get(options, origin="https://dichvucong.example.com"))
    assert REFUSED in page.content.decode()


def test_an_answer_without_user_verification_is_refused(citizen, sms_outbox):
    key = SoftAuthenticator()
    _with_passkey(citizen, sms_outbox, key)
    client = Client()
    options = _passkey_step(client)
    assert REFUSED in _answer(client, key.get(options, verified=False)).content.decode()
    assert client.get("/trang-ca-nhan/").status_code == 302


def test_a_sign_count_that_did_not_grow_is_refused(citizen, sms_outbox):
    key = SoftAuthenticator()
    _with_passkey(citizen, sms_outbox, key)
    client = Client()
    assert _answer(client, key.get(_passkey_step(client))).url == "/trang-ca-nhan/"
    client.post("/dang-xuat/")
    key.sign_count = 0  # a copy of the key that has not counted the last use
    page = _answer(client, key.get(_passkey_step(client)))
    assert REFUSED in page.content.decode()
    assert PasskeyDevice.objects.get(user=citizen).sign_count == 1


def test_a_passkey_that_never_counts_logs_in_again(citizen, sms_outbox):
    key = SoftAuthenticator(counting=False)  # synced passkeys: the count stays 0
    _with_passkey(citizen, sms_outbox, key)
    for _ in range(2):
        client = Client()
        assert _answer(client, key.get(_passkey_step(client))).url == "/trang-ca-nhan/"


def test_another_accounts_passkey_is_refused(citizen, xuan, sms_outbox):
    mine, theirs = SoftAuthenticator(), SoftAuthenticator()
    _with_passkey(citizen, sms_outbox, mine)
    _with_passkey(xuan, sms_outbox, theirs)
    client = Client()
    options = _passkey_step(client)
    page = _answer(client, theirs.get(options))
    assert REFUSED in page.content.decode()
    assert client.get("/trang-ca-nhan/").status_code == 302
    assert PasskeyDevice.objects.get(credential_id=theirs.id).last_used_at is None


def test_passkey_answers_count_against_the_guess_caps(citizen, sms_outbox, settings):
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "factor_guess_per_account": ["3/15m"]}
    key = SoftAuthenticator()
    _with_passkey(citizen, sms_outbox, key)
    client = Client()
    _passkey_step(client)
    for _ in range(3):
        page = _answer(client, key.get(_options(client.get("/dang-nhap/khoa-truy-cap/")),
                                       verified=False))
        assert REFUSED in page.content.decode()
    right = key.get(_options(client.get("/dang-nhap/khoa-truy-cap/")))
    assert "Bạn đã thử quá nhiều lần" in _answer(client, right).content.decode()
    assert client.get("/trang-ca-nhan/").status_code == 302


def test_no_answer_is_said_and_not_counted_and_a_malformed_one_is_a_guess(
        citizen, sms_outbox, settings):
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "factor_guess_per_account": ["2/15m"]}
    key = SoftAuthenticator()
    _with_passkey(citizen, sms_outbox, key)
    client = Client()
    _passkey_step(client)
    for _ in range(3):
        assert "Trình duyệt chưa gửi" in _answer(client, "").content.decode()
    for junk in ("not json", json.dumps({"id": key.id, "rawId": key.id, "type": "public-key",
                                         "response": {}})):
        assert REFUSED in _answer(client, junk).content.decode()
    right = key.get(_options(client.get("/dang-nhap/khoa-truy-cap/")))
    assert "Bạn đã thử quá nhiều lần" in _answer(client, right).content.decode()


def test_a_login_by_ip_address_says_passkeys_need_a_domain_name(citizen, sms_outbox):
    _with_passkey(citizen, sms_outbox, SoftAuthenticator())
    client = Client(HTTP_HOST="127.0.0.1:8000")
    assert _password(client).url == "/dang-nhap/khoa-truy-cap/"
    page = client.get("/dang-nhap/khoa-truy-cap/").content.decode()
    assert "mở bằng tên miền" in page and "http://localhost:8000" in page
    assert "data-options" not in page and "passkey.js" not in page
    assert "Chọn phương thức xác thực khác" in page
    enrol = Client(HTTP_HOST="127.0.0.1:8000")
    _password(enrol)
    enrol.post("/dang-nhap/phuong-thuc-khac/", {"device": sms_device_for(citizen).persistent_id})
    enrol.post("/dang-nhap/xac-thuc-otp/", {"code": last_code(sms_outbox, TUAN_PHONE)})
    page = enrol.get("/trang-ca-nhan/bao-mat/khoa-truy-cap/").content.decode()
    assert "mở bằng tên miền" in page and 'id="passkey-form"' not in page


# Re-authentication and settings ---------------------------------------------------------

def test_a_passkey_confirms_a_change(citizen, sms_outbox, settings):
    key = SoftAuthenticator()
    _with_passkey(citizen, sms_outbox, key)
    client = Client()
    assert _answer(client, key.get(_passkey_step(client))).url == "/trang-ca-nhan/"
    later = time.time() + settings.PORTAL_LIMITS["fresh_valid_seconds"] + 5
    with time_machine.travel(later, tick=False):
        asked = client.get("/trang-ca-nhan/bao-mat/khoa-truy-cap/").url
        assert client.post(asked).url == "/xac-nhan-lai/khoa-truy-cap/"
        options = _options(client.get("/xac-nhan-lai/khoa-truy-cap/"))
        back = client.post("/xac-nhan-lai/khoa-truy-cap/", {"credential": key.get(options)})
        assert back.url == "/trang-ca-nhan/bao-mat/khoa-truy-cap/"


def test_production_names_the_relying_party(settings):
    settings.WEBAUTHN_RP_ID = "dichvucong.example.vn"
    settings.PORTAL_ORIGIN = "https://dichvucong.example.vn"
    party = relying_party("http://whatever-the-request-said")
    assert (party.id, party.origin) == ("dichvucong.example.vn", "https://dichvucong.example.vn")
    settings.WEBAUTHN_RP_ID = ""
    assert relying_party("http://127.0.0.1:8000") is None
    assert relying_party("http://[::1]:8000") is None
    assert relying_party("http://localhost:8000").id == "localhost"
