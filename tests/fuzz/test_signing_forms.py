"""The signature pages fuzzed: USB token registration and login (certificate, signature and
algorithm as base64-ish garbage, mutated certificates, certificates with any subject from
the trusted CA), the signer's details step, and SIM ký số."""

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import Name, NameAttribute
from cryptography.x509.oid import NameOID
from hypothesis import assume, event, given
from hypothesis import strategies as st

from accounts.models import Account
from sandbox.dev_ca import issue_certificate
from tests.fuzz import strategies as s
from tests.fuzz.conftest import (
    SOME,
    USB_LOGIN,
    algorithm_of,
    answered,
    b64,
    challenge_for,
    example,
    fuzz,
    new_client,
    signed,
)

pytestmark = pytest.mark.django_db
KINDS = ["cong-dan", "doanh-nghiep"]
SIGN_URLS = [f"/dang-ky/usb-ky-so/{kind}/" for kind in KINDS] + ["/dang-nhap/usb-ky-so/"]
IDENTITIES = ["citizen-an", "citizen-tuan", "citizen-binh-ec", "business-saomai", "expired",
              "revoked", "untrusted", "weak-rsa-1024", "no-digital-signature"]
DETAILS = "/dang-ky/chu-ky-so/"  # then the request's token


def _kind_or_any():
    return st.sampled_from(KINDS * 3 + ["ca-nhan", "", "CONG-DAN"])


@fuzz(SOME)
@given(
    url=st.sampled_from(SIGN_URLS + ["/dang-ky/usb-ky-so/khac/"]),
    challenge=st.booleans(),
    data=s.form_data({"certificate": s.base64ish(), "signature": s.base64ish(),
                      "algorithm": s.algorithms()}),
    real_certificate=st.sampled_from([None, *IDENTITIES]),
)
def test_usb_pages_with_garbage(trust, url, challenge, data, real_certificate):
    """Any certificate, signature and algorithm, with or without a challenge first."""
    with example():
        client = new_client()
        if challenge:
            data["request"] = challenge_for(client, url if url in SIGN_URLS else USB_LOGIN)[
                "request"]
        if real_certificate:
            data["certificate"] = b64(trust.identities[real_certificate].der)
        before = Account.objects.count()
        response = answered(client.post(url, data), f"POST {url}")
        assert response.status_code in (200, 302, 400, 404, 409)
        assert Account.objects.count() == before
        assert "_auth_user_id" not in client.session


@st.composite
def mutations(draw, der: bytes) -> bytes:
    """The certificate's bytes with a few flipped, cut, inserted or removed."""
    data = bytearray(der)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data) - 1))
        how = draw(st.sampled_from(["flip", "set", "cut", "insert", "delete"]))
        if how == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif how == "set":
            data[at] = draw(st.integers(0, 255))
        elif how == "cut":
            del data[at:]
            if not data:
                data = bytearray(b"\x30")
        elif how == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif len(data) > 1:
            del data[at]
    return bytes(data)


@fuzz(SOME)
@given(
    name=st.sampled_from(["citizen-an", "business-saomai", "citizen-binh-ec"]),
    url=st.sampled_from(SIGN_URLS),
    data=st.data(),
)
def test_mutated_certificates_signed_right(trust, settings, name, url, data):
    """A real certificate with some bytes changed, and a signature by its real key: the
    parser and the chain check meet every shape of broken DER."""
    issued = trust.identities[name]
    with example():
        client = new_client()
        body = signed(client, settings, issued, algorithm_of(issued), page=url)
        body["certificate"] = b64(data.draw(mutations(issued.der)))
        response = answered(client.post(url, body), f"POST {url}")
        assert response.status_code in (200, 302, 400, 409)
        assert not Account.objects.exists()


def _cn_cut(text: str) -> str:
    """At most 64 bytes, cryptography's bound for a CN."""
    return text.encode()[:64].decode("utf-8", "ignore")


SUBJECT_TEXT = st.one_of(st.sampled_from(["Nguyễn Văn An", "CÔNG TY TNHH SAO MAI", "ß " * 32,
                                          "한" * 21, "X" * 150, "X" * 200, "Ê\u0301" * 20]),
                         s.tricky_text, s.any_text, s.huge_text(max_size=300))
CITIZEN_UIDS = ["CCCD:001090099999", "CMND:012345699", "cccd : 001090099999",
                "CCCD:001090099999\x00", "CCCD:٠٠١٠٩٠٠٩٩٩٩٩", "CCCD:", "CMND:001090099999"]
BUSINESS_UIDS = ["MST:0109999999", "MST:0109999999-001", "mst : 0109999999",
                 "MST:001090099999", "MST:０１０９９９９９９９", "MST:0109999999-"]


@st.composite
def subjects(draw):
    """A subject the trusted CA could sign: any CN and O, user IDs right or odd, and the
    registration tab it is meant for (or the other one)."""
    business = draw(st.booleans())
    cn = draw(SUBJECT_TEXT.map(_cn_cut).filter(bool))
    org = draw(st.one_of(st.none(), SUBJECT_TEXT.filter(bool)))
    uid = draw(st.one_of(st.sampled_from(BUSINESS_UIDS if business else CITIZEN_UIDS),
                         st.text(st.characters(exclude_categories=("Cs",)), max_size=40)))
    attributes = [(NameOID.COMMON_NAME, cn)]
    if org:
        attributes.append((NameOID.ORGANIZATION_NAME, org))
    if uid:
        attributes.append((NameOID.USER_ID, uid))
    kind = draw(st.sampled_from(["doanh-nghiep"] * 3 + ["cong-dan"] if business
                                else ["cong-dan"] * 3 + ["doanh-nghiep"]))
    return attributes, kind


@fuzz(SOME)
@given(subject=subjects(), email=s.valid_emails(max_size=s.FORM_EMAIL_MAX))  # form-valid
def test_certificates_with_any_subject(trust, settings, subject, email):
    """The trusted CA vouches for the key, not for what the subject says: a certificate
    with any name and ID goes through registration without a 5xx, and an account made
    from it holds a sane name and login."""
    attributes, kind = subject
    try:
        name = Name([NameAttribute(oid, value) for oid, value in attributes])
        issued = issue_certificate(trust.intermediate, name,
                                   key=ec.generate_private_key(ec.SECP256R1()))
    except ValueError:
        assume(False)  # cryptography itself refuses to encode this subject
    with example():
        client = new_client()
        url = f"/dang-ky/usb-ky-so/{kind}/"
        response = answered(client.post(url, signed(client, settings, issued, "ES256", url)),
                            f"POST {url}")
        event(f"sign answered {response.status_code}")
        if response.status_code != 302 or not response["Location"].startswith(DETAILS):
            assert not Account.objects.exists()
            return
        details = response["Location"]
        answered(client.get(details), f"GET {details}")
        response = answered(client.post(details, {"email": email or "a@example.vn",
                                                  "captcha_0": "test",
                                                  "captcha_1": "PASSED"}), f"POST {details}")
        event(f"details answered {response.status_code}")
        made = Account.objects.first()
        if response.status_code == 302:
            assert made is not None and 0 < len(made.full_name) <= 150
            assert made.username.isascii(), "a login name in non-ASCII digits"
            answered(client.post("/dang-nhap/usb-ky-so/",
                                 signed(client, settings, issued, "ES256")), "USB login")
        else:
            assert made is None


@fuzz(SOME)
@given(name=st.sampled_from(["citizen-an", "business-saomai", "citizen-binh-ec"]),
       data=s.form_data({"email": s.emails()}),  # any email, over 254 characters too
       captcha=st.booleans().flatmap(s.captchas))
def test_the_signer_details_step(trust, settings, name, data, captcha):
    """After a verified signature: any email and captcha. An email longer than the form
    takes is refused on the page, never saved."""
    issued = trust.identities[name]
    kind = "doanh-nghiep" if name.startswith("business") else "cong-dan"
    with example():
        client = new_client()
        url = f"/dang-ky/usb-ky-so/{kind}/"
        details = client.post(url, signed(client, settings, issued, algorithm_of(issued), url))
        response = answered(client.post(details["Location"], {**data, **captcha}), "POST details")
        assert response.status_code in (200, 302, 409)
        made = Account.objects.first()
        assert (made is not None) == (response.status_code == 302)
        sent = data.get("email")
        sent = sent[-1] if isinstance(sent, list) and sent else sent
        if isinstance(sent, str) and len(sent.strip()) > s.FORM_EMAIL_MAX:
            assert response.status_code == 200, "an over-long email not refused"


@fuzz(SOME)
@given(
    url=st.one_of(st.just("/dang-nhap/sim-ky-so/"),
                  _kind_or_any().map(lambda kind: f"/dang-ky/sim-ky-so/{kind}/")),
    data=s.form_data({"phone": st.one_of(
        st.sampled_from(["0912345001", "0912345009", "0912345012", "0912345015",
                         "0912345016", "0912345017", "0912345024", "0987654321"]),
        s.phones())}),
    poll=st.integers(0, 2),
)
def test_the_sim_pages(monkeypatch, url, data, poll):
    """Any phone for a SIM signature, then the waiting page and its status polls."""
    from accounts.flows import sim

    monkeypatch.setattr(sim, "POLL_WAIT", 0.0)  # a poll answers at once, running or not
    with example():
        client = new_client()
        response = answered(client.post(url, data), f"POST {url}")
        assert response.status_code in (200, 302, 404)
        waiting = response["Location"] if response.status_code == 302 else "/ky-so/sim/khac/"
        answered(client.get(waiting), "GET wait")
        for _ in range(poll):
            answered(client.post(waiting + "trang-thai/"), "POST status")
        assert not Account.objects.exists()

