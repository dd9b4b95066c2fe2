"""Administration fuzzed: adding staff, the grant screen with any list of rights, appointing
and dismissing, the audit log and its CSV, the statistics. No 5xx, and no membership, grant
or appointment outside what the actor may give."""

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from operator_console.models import Administrator, AuditEntry, Grant, Membership
from operator_console.rights import ADD_USER, CREATE_CITIZEN, RIGHTS
from operator_console.scope import admin_scope, top_admin_scope
from tests.fuzz import strategies as s
from tests.fuzz.conftest import SOME, answered, example, fresh_login, fuzz, new_client

RIGHT_CODES = sorted(RIGHTS)


def unit_values(units: dict) -> st.SearchStrategy:
    known = [str(unit.pk) for unit in units.values()]
    return s.value_or_list(st.one_of(st.sampled_from(known), s.numbers_as_text(), s.junk()))


def person_ids(*accounts) -> st.SearchStrategy:
    return s.field([account.username for account in accounts] + ["001099000999"])


ANY_ID = st.one_of(st.integers(0, 10**4), st.integers(0, 10**30),
                   st.sampled_from([2**31 - 1, 2**31, 2**63 - 1, 2**63, 10**100]))


def memberships() -> set:
    return set(Membership.objects.values_list("account_id", "unit_id"))


# --- Staff ------------------------------------------------------------------------------

@fuzz(SOME)
@given(data=st.data())
def test_adding_staff(ward_admin, citizen, clerk, other_clerk, units, data):
    body = data.draw(s.form_data({"id_number": person_ids(citizen, clerk, other_clerk,
                                                          ward_admin),
                                  "unit": unit_values(units)}), label="body")
    query = data.draw(s.form_data({"q": s.names(), "trang": s.field(["1", "2", "-1"])}),
                      label="query")
    with example():
        client = new_client()
        fresh_login(client, ward_admin)
        before, scope = memberships(), admin_scope(ward_admin)
        response = answered(client.post("/quan-tri/nguoi-dung/", body), "POST staff")
        assert response.status_code in (200, 302)
        added = memberships() - before
        assert len(added) <= 1
        for account_id, unit_id in added:
            assert unit_id in scope and account_id != ward_admin.pk
        answered(client.get("/quan-tri/nguoi-dung/", query), "GET staff")


@fuzz(SOME)
@given(data=st.data())
def test_the_grant_screen(ward_admin, no_right_clerk, other_clerk, units, data):
    """Any list of rights (known codes, unknown ones, NUL, 10k characters) for anyone:
    only rights the actor holds are given, only to people in scope, never to oneself."""
    target = data.draw(st.sampled_from([no_right_clerk, other_clerk, ward_admin]),
                       label="target")
    rights = data.draw(st.lists(st.one_of(st.sampled_from(RIGHT_CODES), s.junk()),
                                max_size=8), label="rights")
    extra = data.draw(s.form_data({"csrfmiddlewaretoken": s.junk()}), label="extra")
    with example():
        membership = Membership.objects.filter(account=target).first()
        client = new_client()
        fresh_login(client, ward_admin)
        held = {a: set(Grant.objects.filter(account=a).values_list("right", flat=True))
                for a in (no_right_clerk, other_clerk, ward_admin)}
        url = f"/quan-tri/nguoi-dung/{membership.pk}/phan-quyen/"
        response = answered(client.post(url, {**extra, "rights": rights}), f"POST {url}")
        assert response.status_code in (200, 302, 404)
        event(f"grant answered {response.status_code}")
        mine = held[ward_admin]
        for account, before in held.items():
            after = set(Grant.objects.filter(account=account).values_list("right", flat=True))
            if account != target or account == ward_admin or account == other_clerk:
                assert after == before, f"rights of {account} changed"
            else:
                assert after <= set(RIGHTS)
                assert after - before <= mine and (before - after) <= mine
        answered(client.get(url), f"GET {url}")


@fuzz(SOME)
@given(membership_id=ANY_ID, grant=st.booleans())
def test_membership_pages_by_any_id(ward_admin, no_right_clerk, units, membership_id, grant):
    with example():
        client = new_client()
        fresh_login(client, ward_admin)
        before = memberships()
        if grant:
            url = f"/quan-tri/nguoi-dung/{membership_id}/phan-quyen/"
            response = answered(client.post(url, {"rights": [CREATE_CITIZEN]}), f"POST {url}")
        else:
            url = f"/quan-tri/nguoi-dung/{membership_id}/dua-khoi-don-vi/"
            response = answered(client.post(url), f"POST {url}")
        assert response.status_code in (200, 302, 404)
        assert memberships() <= before


# --- Unit administrators ----------------------------------------------------------------

@fuzz(SOME)
@given(data=st.data())
def test_appointing(top, citizen, clerk, ward_admin, units, data):
    body = data.draw(s.form_data({"id_number": person_ids(citizen, clerk, ward_admin, top),
                                  "unit": unit_values(units)}), label="body")
    with example():
        client = new_client()
        fresh_login(client, top)
        before = set(Administrator.objects.values_list("account_id", "unit_id"))
        scope = top_admin_scope(top)
        response = answered(client.post("/quan-tri/quan-tri-don-vi/bo-nhiem/", body),
                            "POST appoint")
        assert response.status_code == 302
        added = set(Administrator.objects.values_list("account_id", "unit_id")) - before
        assert len(added) <= 1
        for account_id, unit_id in added:
            assert unit_id in scope and unit_id != units["P33"].pk and account_id != top.pk
            assert Administrator.objects.get(account_id=account_id, unit_id=unit_id).level \
                == "unit"
        answered(client.get("/quan-tri/quan-tri-don-vi/"), "GET admins")


@fuzz(SOME)
@given(appointment_id=ANY_ID)
def test_dismissing_by_any_id(top, ward_admin, units, appointment_id):
    with example():
        client = new_client()
        fresh_login(client, top)
        url = f"/quan-tri/quan-tri-don-vi/{appointment_id}/thoi/"
        response = answered(client.post(url), f"POST {url}")
        assert response.status_code in (302, 404)
        assert Administrator.objects.filter(account=top, level="province").exists()


@fuzz(SOME)
@given(query=s.form_data({"next": s.field(["/quan-tri/thong-ke/", "/quan-tri/", "//evil",
                                           "https://evil.example/", "/quan-tri/\r\nX: y"])}),
       code=s.form_data({"code": s.codes()}))
def test_reauth_pages_without_a_code_sent(ward_admin, units, query, code):
    """The re-authentication page with any ?next=, and its OTP step posted without a flow
    (sending a code needs a real transaction: test_citizen_forms covers that step)."""
    with example():
        client = new_client()
        client.force_login(ward_admin)
        answered(client.get("/xac-nhan-lai/", query), "GET reauth")
        response = answered(client.post("/xac-nhan-lai/xac-thuc-otp/", code), "POST reauth otp")
        assert response.status_code == 302


# --- Audit log and statistics -----------------------------------------------------------

@pytest.fixture
def trail(top, ward_admin, citizen, units):
    """A few lines in the audit trail."""
    from operator_console.services import audit_record

    for action in ("grant", "member_add", "lookup"):
        audit_record(actor=ward_admin, action=action, unit=units["X11953"], target=citizen,
                     detail=f"{citizen.username}: =HYPERLINK(\"x\")", ip="127.0.0.1")
    audit_record(actor=top, action="appoint", unit=units["P33"], target=ward_admin,
                 detail=ward_admin.username, ip="::1")


AUDIT_QUERY = {
    "actor": s.names(), "action": s.field([code for code, _ in AuditEntry.Action.choices]),
    "target": s.id_numbers(), "date_from": s.typed_dates(), "date_to": s.typed_dates(),
    "trang": s.field(["1", "2", "0", "x"]),
}


@fuzz(SOME)
@given(data=st.data(), csv=st.booleans(), who=st.sampled_from(["top", "ward"]))
def test_the_audit_log_and_its_csv(top, ward_admin, units, trail, data, csv, who):
    query = data.draw(s.form_data({**AUDIT_QUERY, "unit": unit_values(units)}), label="query")
    with example():
        client = new_client()
        client.force_login(top if who == "top" else ward_admin)
        url = "/quan-tri/nhat-ky/" + ("tai-xuong.csv" if csv else "")
        response = answered(client.get(url, query), f"GET {url}")
        assert response.status_code in (200, 400)


@fuzz(SOME)
@given(query=s.form_data({"date_from": s.typed_dates(), "date_to": s.typed_dates()}),
       who=st.sampled_from(["top", "ward"]))
def test_the_statistics(top, ward_admin, units, query, who):
    with example():
        client = new_client()
        client.force_login(top if who == "top" else ward_admin)
        response = answered(client.get("/quan-tri/thong-ke/", query), "GET stats")
        assert response.status_code == 200


# --- Other portals (OIDC clients) -------------------------------------------------------

URIS = ["https://dichvucong.backan.example.vn/cb", "http://127.0.0.1:8200/callback",
        "http://backan.example.vn/cb", "https://*.example.vn/cb", "https://a.vn/cb#x", "/cb"]
CLIENT_FORM = {
    "display_name": s.names(), "client_id": s.field(["backan", "bắc kạn", "ab"]),
    "confidential": s.field(["1", "0"]), "redirect_uris": s.field(["\n".join(URIS[:2])]),
    "post_logout_redirect_uris": s.field(URIS), "logo_url": s.field(URIS),
    "allowed_scopes": s.value_or_list(s.field(["profile", "phone", "openid"])),
    "refresh_allowed": s.field(["on"]), "sector": s.field(["backan"]), "enabled": s.field(["on"]),
}


@fuzz(SOME)
@given(body=s.form_data(CLIENT_FORM))
def test_registering_a_portal(top, body):
    """Any body: no 5xx, and a portal registered only with addresses that match exactly."""
    from oauth2_provider.models import get_application_model

    from federation.clients import uri_check

    with example():
        client = new_client()
        fresh_login(client, top)
        response = answered(client.post("/quan-tri/cong-ket-noi/dang-ky/", body), "POST client")
        assert response.status_code in (200, 302)
        for application in get_application_model().objects.all():
            for uri in application.redirect_uris.split():
                assert uri_check(uri) == uri
            application.delete()


def test_the_personas_hold_what_the_fuzz_assumes(ward_admin, top):
    assert {ADD_USER, CREATE_CITIZEN} == set(
        Grant.objects.filter(account=ward_admin).values_list("right", flat=True))
    assert set(RIGHTS) == set(Grant.objects.filter(account=top).values_list("right", flat=True))
