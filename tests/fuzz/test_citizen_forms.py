"""The citizen's forms fuzzed: registration, login, password reset, OTP and password steps,
the change of password. Whatever is sent, the answer is never a 5xx, and nothing is half
written: no account exists before its last step succeeded."""

import re

import pytest
from hypothesis import assume, event, given
from hypothesis import strategies as st

from accounts.models import Account
from tests.fuzz import strategies as s
from tests.fuzz.conftest import (
    CITIZEN_PASSWORD,
    FEW,
    SOME,
    answered,
    example,
    fresh_login,
    fuzz,
    new_client,
    query_string,
    sent,
)

# Sample people of sandbox/people.json, as the form asks for them, with the method their
# registry vouches for them by.
AN = {"id_number": "001090012345", "full_name": "Nguyễn Văn An", "birth_date": "15/03/1990",
      "phone": "0912345001", "email": "", "bhxh_code": "0101012345"}
HUONG = {"id_number": "036195456789", "full_name": "Vũ Thị Hương", "birth_date": "12/12/1995",
         "phone": "0912345006", "email": "", "bhxh_code": "0106456789"}
PHUC = {"id_number": "075087123450", "full_name": "Lý Văn Phúc", "birth_date": "03/03/1987",
        "phone": "0912345013", "email": "", "bhxh_code": "0113123450"}
TUAN = {"id_number": "001084567801", "full_name": "Cao Văn Tuấn", "birth_date": "21/01/1984",
        "phone": "0912345017", "email": "", "bhxh_code": "0117567801"}
QUYNH = {"id_number": "027191234560", "full_name": "Dương Thị Quỳnh",
         "birth_date": "19/09/1991", "phone": "0912345014", "email": "",
         "bhxh_code": "0114234560"}
DANH = {"id_number": "083094901235", "full_name": "Lâm Văn Danh", "birth_date": "27/03/1994",
        "phone": "0912345023", "email": "", "bhxh_code": "0123901235"}
MATCHING = [("mobile", AN), ("vnpost", HUONG), ("bhxh", PHUC)]
SAMPLE_IDS = [p["id_number"] for p in (AN, HUONG, PHUC, QUYNH, DANH)]

IDENTITY_FIELDS = {
    "id_number": s.id_numbers(), "full_name": s.names(), "birth_date": s.birth_dates(),
    "phone": s.phones(), "email": s.emails(), "bhxh_code": s.field(["0101012345", "1" * 10]),
}


def code_sent(outbox, phone: str) -> str:
    texts = [m["text"] for m in outbox if m["phone"] == phone]
    assert texts, f"no SMS to {phone}"
    return re.search(r"\b(\d{6})\b", texts[-1]).group(1)


def e164(phone: str) -> str:
    return "+84" + phone[1:]


def forget_sample_accounts() -> None:
    """Examples of a transactional test share the database: undo what one registered."""
    Account.objects.filter(username__in=SAMPLE_IDS).delete()


# --- Registration -----------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
@fuzz(SOME)
@given(
    pick=st.one_of(
        st.sampled_from([*MATCHING, ("mobile", TUAN), ("bhxh", DANH), ("mobile", QUYNH)]),
        st.tuples(st.sampled_from(["mobile", "bhxh", "vnpost"] * 5 + ["khac", "MOBILE", "0"]),
                  st.sampled_from([AN, HUONG, PHUC, TUAN, QUYNH, DANH, {}]))),
    changes=s.some_changes(IDENTITY_FIELDS),
    captcha=st.booleans().flatmap(s.captchas),
)
def test_the_registration_forms(citizen, sms_outbox, pick, changes, captcha):
    """A sample person (vouched for, refused, registry down, already registered) with some
    fields replaced by anything, captcha right or not."""
    method, base = pick
    before = Account.objects.count()
    try:
        response = answered(new_client().post(f"/dang-ky/{method}/",
                                              {**base, **changes, **captcha}),
                            f"POST /dang-ky/{method}/")
        assert response.status_code in (200, 302, 404, 409)
        event(f"identity answered {response.status_code}")
        if response.status_code == 302:
            assert response["Location"] == "/dang-ky/xac-thuc-otp/"
        assert Account.objects.count() == before, "an account made at the identity step"
    finally:
        forget_sample_accounts()
        sms_outbox.clear()


@pytest.mark.django_db(transaction=True)
@fuzz(SOME, shrink=False)
@given(
    pick=st.sampled_from(MATCHING),
    email=s.valid_emails(max_size=s.FORM_EMAIL_MAX),  # the walk needs an accepted email
    wrong_codes=st.lists(s.codes(), max_size=3),
    right_code=st.booleans(),
    tries=st.lists(st.tuples(s.passwords(), s.passwords()), max_size=2),
    good_password=st.booleans(),
)
def test_the_registration_walk(sms_outbox, pick, email, wrong_codes, right_code, tries,
                               good_password):
    """A person the registry vouches for, any email, then wrong and right codes, then any
    passwords: an account appears only when the password step says so."""
    method, person = pick
    client = new_client()
    try:
        data = {**person, "email": email, "captcha_0": "test", "captcha_1": "PASSED"}
        response = answered(client.post(f"/dang-ky/{method}/", data), "identity")
        assume(response.status_code == 302)
        for code in wrong_codes:
            if code == code_sent(sms_outbox, e164(person["phone"])):
                continue
            answered(client.post("/dang-ky/xac-thuc-otp/", {"code": code}), "wrong code")
        if not right_code:
            return
        response = answered(client.post("/dang-ky/xac-thuc-otp/", {
            "code": code_sent(sms_outbox, e164(person["phone"]))}), "right code")
        if response.status_code != 302:  # too many wrong codes before it
            assert not Account.objects.filter(username=person["id_number"]).exists()
            return
        assert response["Location"] == "/dang-ky/mat-khau/"
        for first, second in tries + ([("Mới#Mật2026x", "Mới#Mật2026x")] if good_password
                                      else []):
            response = answered(client.post("/dang-ky/mat-khau/",
                                            {"password1": first, "password2": second}),
                                "password step")
            made = Account.objects.filter(username=person["id_number"]).first()
            event(f"password step answered {response.status_code}")
            if response.status_code == 302 and response["Location"] == "/dang-nhap/":
                assert made is not None and made.check_password(sent(first))
                assert len(made.email) <= 254 and made.full_name
                break
            assert made is None, "an account made by a refused password step"
    finally:
        forget_sample_accounts()
        sms_outbox.clear()


# --- OTP steps --------------------------------------------------------------------------

def _start(client, purpose: str, citizen_account, admin) -> tuple[str, str, str]:
    """Start a flow up to its OTP page: (OTP url, phone, the url the right code leads to)."""
    if purpose == "register":
        client.post("/dang-ky/mobile/", {**AN, "captcha_0": "test", "captcha_1": "PASSED"})
        return "/dang-ky/xac-thuc-otp/", "+84912345001", "/dang-ky/mat-khau/"
    if purpose == "reset":
        client.post("/quen-mat-khau/", {"username": TUAN["id_number"], "phone": TUAN["phone"],
                                        "captcha_0": "test", "captcha_1": "PASSED"})
        return "/quen-mat-khau/xac-thuc-otp/", "+84912345017", "/quen-mat-khau/mat-khau-moi/"
    if purpose == "login":
        client.post("/dang-nhap/", {"username": citizen_account.username,
                                    "password": CITIZEN_PASSWORD,
                                    "captcha_0": "test", "captcha_1": "PASSED"})
        return "/dang-nhap/xac-thuc-otp/", "+84912345017", "/trang-ca-nhan/"
    client.force_login(admin)
    answered(client.get("/xac-nhan-lai/?next=/quan-tri/thong-ke/"), "reauth page")
    client.post("/xac-nhan-lai/?next=/quan-tri/thong-ke/")
    return "/xac-nhan-lai/xac-thuc-otp/", admin.phone, "/quan-tri/thong-ke/"


@pytest.mark.django_db(transaction=True)
@fuzz(SOME)
@given(
    purpose=st.sampled_from(["register", "reset", "login", "reauth"]),
    codes=st.lists(s.form_data({"code": s.codes()}), min_size=1, max_size=6),
    resend=st.booleans(),
)
def test_the_otp_steps(citizen, ward_admin, sms_outbox, purpose, codes, resend):
    """Every OTP page with any code (Unicode digits, NUL, 10k characters, lists): a wrong
    code never opens the next step, a resend never fails."""
    client = new_client()
    try:
        url, phone, after = _start(client, purpose, citizen, ward_admin)
        right = code_sent(sms_outbox, phone)
        answered(client.get(url), f"GET {url}")
        for data in codes:
            assume(data.get("code") != right)
            response = answered(client.post(url, data), f"POST {url}")
            assert response.status_code in (200, 302)
            if response.status_code == 302:
                assert response["Location"] != after, "a wrong code opened the next step"
        if resend:
            answered(client.post(url.replace("xac-thuc-otp", "gui-lai-otp")
                                 .replace("/otp/", "/gui-lai-otp/")), "resend")
        assert not Account.objects.filter(username=AN["id_number"]).exists()
    finally:
        forget_sample_accounts()
        sms_outbox.clear()


# --- Login and reset --------------------------------------------------------------------

@pytest.mark.django_db
@fuzz(SOME)
@given(
    data=s.form_data({"username": s.id_numbers(), "password": s.passwords()}),
    captcha=st.booleans().flatmap(s.captchas),
    query=s.form_data({"next": s.field(["/trang-ca-nhan/", "//evil.example", "/quan-tri/",
                                        "https://evil.example/", "/\\evil"])}),
)
def test_the_login_form(citizen, data, captcha, query):
    """Anything as username, password, captcha and ?next=: never a 5xx, never logged in
    (the citizen's password is not among the fuzzed ones)."""
    with example():
        client = new_client()
        url = "/dang-nhap/?" + query_string(query)
        response = answered(client.post(url, {**data, **captcha}), f"POST {url}")
        assert response.status_code in (200, 302)
        assert "_auth_user_id" not in client.session
        if response.status_code == 302:
            assert response["Location"] == "/dang-nhap/xac-thuc-otp/"


@pytest.mark.django_db(transaction=True)
@fuzz(SOME)
@given(
    data=s.form_data({"username": s.id_numbers(), "phone": s.phones()}),
    captcha=st.booleans().flatmap(s.captchas),
)
def test_the_reset_request_form(citizen, sms_outbox, data, captcha):
    """Any ID and phone (the citizen's pair among them): the same page either way."""
    try:
        response = answered(new_client().post("/quen-mat-khau/", {**data, **captcha}),
                            "POST /quen-mat-khau/")
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert response["Location"] == "/quen-mat-khau/xac-thuc-otp/"
    finally:
        sms_outbox.clear()


@pytest.mark.django_db(transaction=True)
@fuzz(FEW)
@given(tries=st.lists(s.form_data({"password1": s.passwords(), "password2": s.passwords()}),
                      min_size=1, max_size=4))
def test_the_reset_password_step(citizen, sms_outbox, tries):
    """After a right code, any new password: the old one stays until one is accepted."""
    client = new_client()
    try:
        url, phone, after = _start(client, "reset", citizen, None)
        answered(client.post(url, {"code": code_sent(sms_outbox, phone)}), "right code")
        for data in tries:
            response = answered(client.post(after, data), f"POST {after}")
            citizen.refresh_from_db()
            if response.status_code == 302 and response["Location"] == "/dang-nhap/":
                assert citizen.check_password(sent(data["password1"]))
                break
            assert citizen.check_password(CITIZEN_PASSWORD), "password changed on a refusal"
    finally:
        citizen.set_password(CITIZEN_PASSWORD)
        citizen.save()
        sms_outbox.clear()


# --- Profile ----------------------------------------------------------------------------

@pytest.mark.django_db
@fuzz(FEW)
@given(data=s.form_data({
    "old_password": st.one_of(st.just(CITIZEN_PASSWORD), s.passwords()),
    "password1": s.passwords(), "password2": s.passwords(),
}), same=st.booleans())
def test_the_change_of_password(citizen, data, same):
    with example():
        client = new_client()
        fresh_login(client, citizen)
        if same and "password1" in data:
            data["password2"] = data["password1"]
        response = answered(client.post("/trang-ca-nhan/doi-mat-khau/", data),
                            "POST /trang-ca-nhan/doi-mat-khau/")
        assert response.status_code in (200, 302)
        citizen.refresh_from_db()
        if response.status_code == 302:
            assert response["Location"] == "/trang-ca-nhan/"
            assert citizen.check_password(sent(data["password1"]))
        else:
            assert citizen.check_password(CITIZEN_PASSWORD), "password changed on a refusal"
