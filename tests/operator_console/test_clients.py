"""The portals that sign people in here, managed in the console: only the top
administrators (holders of the right) reach the pages; a secret is shown once and works;
a disabled portal is refused; a new secret ends the old one; every change is audited and
needs a fresh proof."""

import base64

import pytest
from django.contrib.auth.hashers import check_password
from django.test import Client as Browser
from oauth2_provider.models import get_application_model

from federation.models import Client
from operator_console.models import AuditEntry, Grant
from operator_console.rights import MANAGE_CLIENTS
from tests.federation.oidc.conftest import RelyingParty, an, log_in  # noqa: F401
from tests.operator_console.conftest import fresh_login

Application = get_application_model()
LIST = "/quan-tri/cong-ket-noi/"
NEW = LIST + "dang-ky/"
CALLBACK = "https://dichvucong.backan.example.vn/oidc/callback"
NAME = "Cổng dịch vụ công tỉnh Bắc Kạn"


def form(**changes) -> dict:
    data = {"display_name": NAME, "client_id": "backan", "confidential": "1",
            "redirect_uris": CALLBACK + "\r\n", "post_logout_redirect_uris": "",
            "allowed_scopes": ["profile", "id_number"], "logo_url": "", "sector": "",
            "enabled": "on"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def register(client, **changes):
    return client.post(NEW, form(**changes))


def secret_on(response) -> str:
    page = response.content.decode()
    start = page.index('id="client-secret"')
    return page[page.index(">", start) + 1:page.index("</textarea>", start)]


def token_answer(client_id: str, secret: str):
    """The token endpoint's answer to a client authenticating (with a code it lacks)."""
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return Browser().post("/oidc/token/", {"grant_type": "authorization_code", "code": "x",
                                           "redirect_uri": CALLBACK, "code_verifier": "v" * 50},
                          HTTP_AUTHORIZATION=f"Basic {basic}")


@pytest.fixture
def registered(client, top):
    """Bắc Kạn's portal, registered by Thảo; its client and its secret."""
    fresh_login(client, top)
    secret = secret_on(register(client))
    return Client.objects.get(application__client_id="backan"), secret


# --- Who reaches the pages --------------------------------------------------------------

@pytest.mark.django_db
def test_it_sends_anonymous_people_to_the_login(client):
    for url in (LIST, NEW, LIST + "1/", LIST + "1/khoa-bi-mat/"):
        assert client.get(url)["Location"].startswith("/dang-nhap/?next="), url


def test_it_refuses_administrators_without_the_right(client, ward_admin, clerk, registered):
    client_pk = registered[0].pk
    for person in (ward_admin, clerk):
        fresh_login(client, person)
        for url in (LIST, NEW, f"{LIST}{client_pk}/", f"{LIST}{client_pk}/khoa-bi-mat/"):
            response = client.get(url)
            assert response.status_code == 403, url
            assert "Quản lý cổng kết nối đăng nhập (OIDC)" in response.content.decode()
        response = client.post(f"{LIST}{client_pk}/bat-tat/", {"enabled": "0"})
        assert response.status_code == 403
    assert Client.objects.get().enabled


def test_the_menu_links_the_pages_for_the_rights_holders_only(client, top, ward_admin):
    client.force_login(top)
    assert f'href="{LIST}"' in client.get("/quan-tri/nhat-ky/").content.decode()
    client.force_login(ward_admin)
    assert f'href="{LIST}"' not in client.get("/quan-tri/nhat-ky/").content.decode()


def test_the_right_cannot_be_granted_on_the_grant_screen(client, top, ward_admin, units):
    from operator_console.administration.services import AdminRefused, rights_set

    with pytest.raises(AdminRefused) as refused:
        rights_set(actor=top, account=ward_admin, wanted={MANAGE_CLIENTS},
                   unit=units["X11953"], ip="127.0.0.1")
    assert "chỉ dành cho quản trị cấp cao" in refused.value.message
    fresh_login(client, top)
    membership = ward_admin.memberships.get()
    page = client.get(f"/quan-tri/nguoi-dung/{membership.pk}/phan-quyen/").content.decode()
    assert f'value="{MANAGE_CLIENTS}" id="right-{MANAGE_CLIENTS}" disabled' in page
    assert not Grant.objects.filter(account=ward_admin, right=MANAGE_CLIENTS).exists()


# --- Registering ------------------------------------------------------------------------

@pytest.mark.parametrize(("uri", "said"), [
    ("http://dichvucong.backan.example.vn/cb", "phải dùng https://"),
    ("https://dichvucong.backan.example.vn/cb#top", "không được có phần sau dấu #"),
    ("https://*.backan.example.vn/cb", "không được có ký tự đại diện *"),
    ("/oidc/callback", "không phải địa chỉ đầy đủ"),
    ("https://dich vu.example.vn/cb", "không phải địa chỉ hợp lệ"),
])
def test_it_refuses_a_bad_redirect_uri_in_vietnamese(client, top, uri, said):
    fresh_login(client, top)
    response = register(client, redirect_uris=f"{CALLBACK}\n{uri}")
    assert response.status_code == 200
    assert said in response.content.decode()
    assert not Client.objects.exists() and not Application.objects.exists()


def test_it_asks_for_a_name_and_a_redirect_uri(client, top):
    fresh_login(client, top)
    page = register(client, display_name="", redirect_uris="").content.decode()
    assert "Phải nhập tên cổng." in page and "Phải có ít nhất một địa chỉ trả về." in page


def test_it_refuses_a_client_id_taken_or_malformed(client, top, registered):
    assert "đã được dùng" in register(client).content.decode()
    assert "Mã cổng gồm 3 đến 100 ký tự" in register(client, client_id="bắc kạn").content.decode()
    assert Client.objects.count() == 1


def test_it_shows_the_secret_once_and_stores_only_its_hash(client, top):
    fresh_login(client, top)
    response = register(client, post_logout_redirect_uris="https://dichvucong.backan.example.vn/")
    secret = secret_on(response)
    assert len(secret) >= 40 and "Khóa bí mật chỉ hiển thị một lần" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    application = Application.objects.get(client_id="backan")
    assert application.client_secret != secret
    assert check_password(secret, application.client_secret)
    portal = application.portal_client
    assert (portal.display_name, portal.enabled, portal.refresh_allowed) == (NAME, True, False)
    assert portal.allowed_scopes == ["openid", "profile", "id_number"]
    assert application.redirect_uris == CALLBACK
    assert application.post_logout_redirect_uris == "https://dichvucong.backan.example.vn/"
    for url in (LIST, f"{LIST}{portal.pk}/"):
        assert secret not in client.get(url).content.decode()


def test_the_secret_works_at_the_token_endpoint(registered, an):  # noqa: F811
    portal, secret = registered
    rp = RelyingParty(portal, Browser(), secret=secret)
    log_in(rp.browser, an)
    tokens = rp.tokens("openid profile id_number")
    assert tokens["scope"] == "openid profile id_number"
    assert rp.id_claims(tokens["id_token"])["id_number"] == an.username


def test_a_public_client_gets_no_secret(client, top):
    fresh_login(client, top)
    response = register(client, confidential="0")
    assert response["Location"] == LIST
    application = Application.objects.get(client_id="backan")
    assert application.client_type == "public"
    page = client.get(LIST).content.decode()
    assert "Đã đăng ký" in page and "không có khóa bí mật (PKCE)" in page
    response = client.post(f"{LIST}{application.portal_client.pk}/khoa-bi-mat/", follow=True)
    assert "không có khóa để cấp lại" in response.content.decode()
    assert not AuditEntry.objects.filter(action="client_secret").exists()


def test_plain_http_only_on_this_computer_and_only_in_development(client, top, settings):
    fresh_login(client, top)
    register(client, redirect_uris="http://127.0.0.1:8200/callback")
    assert Application.objects.get(client_id="backan").redirect_uris == (
        "http://127.0.0.1:8200/callback")
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER,
                                "ALLOWED_REDIRECT_URI_SCHEMES": ["https"]}
    response = register(client, client_id="other", redirect_uris="http://localhost/cb")
    assert "phải dùng https://" in response.content.decode()


# --- Changing, disabling, a new secret --------------------------------------------------

def test_it_changes_a_client_and_audits_what_changed(client, registered):
    portal, _secret = registered
    other = "https://dichvucong.backan.example.vn/oidc/callback2"
    response = client.post(f"{LIST}{portal.pk}/", form(
        client_id=None, redirect_uris=f"{CALLBACK}\n{other}", allowed_scopes=["phone"],
        refresh_allowed="on"))
    assert response["Location"] == LIST
    portal.refresh_from_db()
    portal.application.refresh_from_db()
    assert portal.application.redirect_uris == f"{CALLBACK} {other}"
    assert portal.allowed_scopes == ["openid", "phone"] and portal.refresh_allowed
    entry = AuditEntry.objects.get(action="client_update")
    assert entry.detail == (f"backan: {NAME} (Địa chỉ trả về (redirect URI), Thông tin cổng "
                            "được phép yêu cầu, Được cấp refresh token)")
    client.post(f"{LIST}{portal.pk}/", form(
        client_id=None, redirect_uris=f"{CALLBACK}\n{other}", allowed_scopes=["phone"],
        refresh_allowed="on"))
    assert AuditEntry.objects.filter(action="client_update").count() == 1, "nothing changed"


def test_a_disabled_client_is_refused_at_authorize_and_back_when_enabled(
    client, registered, an  # noqa: F811
):
    portal, secret = registered
    rp = RelyingParty(portal, Browser(), secret=secret)
    log_in(rp.browser, an)
    client.post(f"{LIST}{portal.pk}/bat-tat/", {"enabled": "0"})
    assert not Client.objects.get().enabled
    response = rp.start()
    assert response.status_code == 400
    assert "Yêu cầu đăng nhập từ cổng dịch vụ không hợp lệ" in response.content.decode()
    client.post(f"{LIST}{portal.pk}/bat-tat/", {"enabled": "1"})
    assert rp.tokens()["token_type"] == "Bearer"
    assert list(AuditEntry.objects.filter(action__startswith="client").order_by("pk")
                .values_list("action", flat=True)) == [
        "client_create", "client_disable", "client_enable"]


def test_a_new_secret_ends_the_old_one(client, registered):
    portal, old = registered
    assert token_answer("backan", old).json()["error"] == "invalid_grant"  # authenticated
    page = client.get(f"{LIST}{portal.pk}/khoa-bi-mat/").content.decode()
    assert "sẽ không dùng được nữa" in page
    response = client.post(f"{LIST}{portal.pk}/khoa-bi-mat/")
    new = secret_on(response)
    assert new != old and "no-store" in response["Cache-Control"]
    assert token_answer("backan", old).json()["error"] == "invalid_client"
    assert token_answer("backan", new).json()["error"] == "invalid_grant"
    assert AuditEntry.objects.filter(action="client_secret").count() == 1


# --- The audit trail and the fresh proof ------------------------------------------------

def test_each_change_is_on_the_audit_page_and_in_its_csv(client, top, registered, units):
    portal, _secret = registered
    client.post(f"{LIST}{portal.pk}/bat-tat/", {"enabled": "0"})
    client.post(f"{LIST}{portal.pk}/khoa-bi-mat/")
    entries = AuditEntry.objects.filter(action__startswith="client")
    assert {(e.actor, e.unit, e.target) for e in entries} == {(top, units["P33"], None)}
    assert all(e.detail == f"backan: {NAME}" for e in entries)
    page = client.get("/quan-tri/nhat-ky/").content.decode()
    for label in ("Đăng ký cổng kết nối", "Tắt cổng kết nối",
                  "Cấp lại khóa bí mật của cổng kết nối"):
        assert label in page
    text = client.get("/quan-tri/nhat-ky/tai-xuong.csv").getvalue().decode()
    assert "Tắt cổng kết nối" in text and f"backan: {NAME}" in text


def test_a_stale_proof_asks_to_confirm_again_and_changes_nothing(top, registered):
    portal, _secret = registered
    client = Browser()
    client.force_login(top)  # logged in long ago: no proof in this session
    back = f"/xac-nhan-lai/?next=%2Fquan-tri%2Fcong-ket-noi%2F{portal.pk}%2F"
    assert client.get(f"{LIST}{portal.pk}/")["Location"] == back
    response = client.post(f"{LIST}{portal.pk}/bat-tat/", {"enabled": "0"}, follow=True)
    assert response.redirect_chain[0][0] == "/xac-nhan-lai/?next=%2Fquan-tri%2Fcong-ket-noi%2F"
    assert "Xác nhận lại" in response.content.decode()
    assert "Chưa lưu thay đổi" in response.content.decode()
    assert client.post(f"{LIST}{portal.pk}/khoa-bi-mat/")["Location"].startswith("/xac-nhan-lai/")
    assert register(client, client_id="other")["Location"].startswith("/xac-nhan-lai/")
    assert Client.objects.get().enabled and Client.objects.count() == 1
    assert list(AuditEntry.objects.filter(action__startswith="client")
                .values_list("action", flat=True)) == ["client_create"]
