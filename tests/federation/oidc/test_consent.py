"""The consent page, the decision remembered, "Ứng dụng được chia sẻ" and withdrawing."""

from accounts.models import AccountEvent
from federation.models import Consent
from tests.federation.oidc.conftest import log_in


def test_the_consent_page_names_the_portal_and_what_it_receives(rp, an):
    log_in(rp.browser, an)
    page = rp.start("openid profile id_number phone email")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Cổng dịch vụ công tỉnh Bắc Kạn (thử nghiệm)" in text
    for attribute in ("Họ tên", "Ngày sinh", "Số CMT/CCCD", "Số điện thoại", "Email",
                      "Mã định danh của bạn dành riêng cho cổng này"):
        assert f"<li>{attribute}</li>" in text, attribute
    assert 'href="/chinh-sach-chia-se-thong-tin/"' in text
    assert "Đồng ý" in text and "Từ chối" in text


def test_the_consent_page_cannot_be_framed(rp, an):
    log_in(rp.browser, an)
    page = rp.start()
    assert page["X-Frame-Options"] == "DENY"
    assert page["Content-Security-Policy"] == "frame-ancestors 'none'"


def test_a_refusal_tells_the_portal_access_denied(rp, an):
    log_in(rp.browser, an)
    rp.start()
    answer = rp.answer(rp.browser.post(rp.url, {"decision": "deny"}))
    assert answer["error"] == "access_denied" and "code" not in answer
    assert not Consent.objects.exists()


def test_the_answer_needs_the_page_s_csrf_token(rp, an):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    log_in(strict, an)
    rp.browser = strict
    rp.start()
    assert strict.post(rp.url, {"decision": "allow"}).status_code == 403


def test_the_decision_is_remembered_until_a_new_scope_is_asked(rp, an):
    log_in(rp.browser, an)
    rp.sign_in("openid profile phone")
    assert rp.start("openid profile phone").status_code == 302, "the same: not asked"
    assert rp.start("openid").status_code == 302, "fewer: not asked"
    page = rp.start("openid profile email")
    assert page.status_code == 200 and "Email" in page.content.decode(), "a new one: asked"
    rp.answer(rp.browser.post(rp.url, {"decision": "allow"}))
    assert Consent.objects.get().scopes == ["openid", "profile", "phone", "email"]


def test_prompt_consent_asks_again(rp, an):
    log_in(rp.browser, an)
    rp.sign_in()
    assert rp.start(prompt="consent").status_code == 200


def test_withdrawing_revokes_the_tokens_and_asks_again(rp, an):
    log_in(rp.browser, an)
    tokens = rp.tokens("openid profile phone")
    assert rp.userinfo(tokens["access_token"]).status_code == 200
    page = rp.browser.get("/trang-ca-nhan/ung-dung-duoc-chia-se/").content.decode()
    assert "Cổng dịch vụ công tỉnh Bắc Kạn (thử nghiệm)" in page and "Số điện thoại" in page
    consent = Consent.objects.get()
    done = rp.browser.post(f"/trang-ca-nhan/ung-dung-duoc-chia-se/{consent.pk}/rut-lai/",
                           follow=True).content.decode()
    assert "Đã rút lại đồng ý chia sẻ thông tin với Cổng dịch vụ công tỉnh Bắc Kạn" in done
    assert "Bạn chưa cho cổng dịch vụ nào khác" in done
    assert rp.userinfo(tokens["access_token"]).status_code == 401, "its tokens are revoked"
    assert rp.start("openid profile phone").status_code == 200, "asked again"


def test_nobody_withdraws_another_s_consent(rp, an, tuan3, client):
    log_in(rp.browser, an)
    rp.sign_in()
    log_in(client, tuan3)
    client.post(f"/trang-ca-nhan/ung-dung-duoc-chia-se/{Consent.objects.get().pk}/rut-lai/")
    assert Consent.objects.filter(account=an).exists()


def test_consent_sign_in_and_withdrawal_are_on_the_activity(rp, an):
    log_in(rp.browser, an)
    rp.sign_in()
    rp.sign_in()
    rp.browser.post(f"/trang-ca-nhan/ung-dung-duoc-chia-se/{Consent.objects.get().pk}/rut-lai/")
    events = list(AccountEvent.objects.filter(account=an).order_by("id")
                  .values_list("kind", "detail"))
    portal = {"client": "Cổng dịch vụ công tỉnh Bắc Kạn (thử nghiệm)"}
    assert events == [("client_consent", portal), ("client_signin", portal),
                      ("client_signin", portal), ("client_withdrawn", portal)]
    page = rp.browser.get("/trang-ca-nhan/lich-su-hoat-dong/").content.decode()
    assert "Đồng ý chia sẻ thông tin với cổng: Cổng dịch vụ công tỉnh Bắc Kạn" in page
