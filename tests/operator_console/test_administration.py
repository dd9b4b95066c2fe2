"""Delegated administration: nobody acts outside their scope or gives what they lack."""


import pytest

from operator_console.models import Administrator, AuditEntry, Grant, Membership
from operator_console.rights import ADD_USER, CREATE_CITIZEN, RIGHTS
from tests.operator_console.conftest import fresh_login, person

ADMIN_URLS = ["/quan-tri/nguoi-dung/", "/quan-tri/quan-tri-don-vi/"]


def rights_url(account, unit) -> str:
    membership = Membership.objects.get(account=account, unit=unit)
    return f"/quan-tri/nguoi-dung/{membership.pk}/phan-quyen/"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ADMIN_URLS)
def test_anonymous_people_go_to_the_login(client, url):
    assert client.get(url)["Location"].startswith("/dang-nhap/?next=")


@pytest.mark.parametrize("url", ADMIN_URLS)
def test_a_clerk_who_administers_nothing_gets_403(client, clerk, url):
    client.force_login(clerk)
    response = client.get(url)
    assert response.status_code == 403
    assert "không phải tài khoản quản trị" in response.content.decode()


def test_a_unit_administrator_may_not_appoint(client, ward_admin):
    client.force_login(ward_admin)
    response = client.get("/quan-tri/quan-tri-don-vi/")
    assert response.status_code == 403 and "Quản trị cấp cao của tỉnh" in response.content.decode()


def test_a_top_admin_appoints_a_unit_administrator(client, top, clerk, units):
    fresh_login(client, top)
    client.post("/quan-tri/quan-tri-don-vi/bo-nhiem/",
                {"id_number": clerk.username, "unit": units["X11953"].pk})
    appointment = Administrator.objects.get(account=clerk)
    assert (appointment.unit.code, appointment.level, appointment.appointed_by) == (
        "X11953", "unit", top)
    entry = AuditEntry.objects.get(action="appoint")
    assert (entry.actor, entry.target, entry.unit.code) == (top, clerk, "X11953")


def test_appointing_asks_for_a_fresh_otp_after_15_minutes(client, top, clerk, units, sms_outbox):
    client.force_login(top)  # logged in long ago: no fresh proof in the session
    response = client.post("/quan-tri/quan-tri-don-vi/bo-nhiem/",
                           {"id_number": clerk.username, "unit": units["X11953"].pk})
    assert response["Location"].startswith("/xac-nhan-lai/")
    assert not Administrator.objects.filter(account=clerk).exists()


def test_a_unit_admin_adds_staff_only_to_units_under_them(client, ward_admin, citizen, units):
    fresh_login(client, ward_admin)
    client.post("/quan-tri/nguoi-dung/", {"id_number": citizen.username,
                                          "unit": units["S-X11953"].pk})
    assert Membership.objects.filter(account=citizen, unit=units["S-X11953"]).exists()
    page = client.post("/quan-tri/nguoi-dung/", {"id_number": citizen.username,
                                                 "unit": units["S-X11983"].pk}).content.decode()
    assert "Đơn vị không hợp lệ." in page
    assert not Membership.objects.filter(account=citizen, unit=units["S-X11983"]).exists()


def test_adding_staff_needs_the_add_user_right(client, ward_admin, citizen, units):
    Grant.objects.filter(account=ward_admin, right=ADD_USER).delete()
    fresh_login(client, ward_admin)
    page = client.post("/quan-tri/nguoi-dung/", {"id_number": citizen.username,
                                                 "unit": units["S-X11953"].pk}).content.decode()
    assert "Quyền cho thêm mới người dùng" in page
    assert not Membership.objects.filter(account=citizen).exists()


def test_an_unknown_id_number_is_said_plainly(client, ward_admin, units):
    fresh_login(client, ward_admin)
    page = client.post("/quan-tri/nguoi-dung/", {"id_number": "001099000999",
                                                 "unit": units["S-X11953"].pk}).content.decode()
    assert "Không có tài khoản nào với số CMND/CCCD này" in page


def test_a_unit_admin_grants_a_right_they_hold_and_it_works_at_once(
    client, ward_admin, no_right_clerk, units
):
    fresh_login(client, ward_admin)
    client.post(rights_url(no_right_clerk, units["S-X11953"]), {"rights": [CREATE_CITIZEN]})
    assert Grant.objects.filter(account=no_right_clerk, right=CREATE_CITIZEN).exists()
    entry = AuditEntry.objects.get(action="grant")
    assert (entry.actor, entry.target) == (ward_admin, no_right_clerk)
    assert "Quyền tạo tài khoản công dân" in entry.detail

    other = client.__class__()
    other.force_login(no_right_clerk)
    assert other.get("/quan-tri/tao-tai-khoan-cong-dan/").status_code == 200
    client.post(rights_url(no_right_clerk, units["S-X11953"]), {})  # every box unticked
    assert other.get("/quan-tri/tao-tai-khoan-cong-dan/").status_code == 403  # next request
    assert AuditEntry.objects.filter(action="revoke", target=no_right_clerk).count() == 1


def test_granting_a_right_one_does_not_hold_is_refused(client, ward_admin, no_right_clerk, units):
    fresh_login(client, ward_admin)
    response = client.post(rights_url(no_right_clerk, units["S-X11953"]),
                           {"rights": [CREATE_CITIZEN, "payment_stats"]}, follow=True)
    assert "Bạn chỉ cấp được những quyền chính bạn đang có." in response.content.decode()
    assert not Grant.objects.filter(account=no_right_clerk).exists()
    assert not AuditEntry.objects.exists()


def test_rights_one_does_not_hold_are_left_as_they_are(client, ward_admin, no_right_clerk, units):
    Grant.objects.create(account=no_right_clerk, unit=units["S-X11953"],
                         right="surveys")  # given by someone else
    fresh_login(client, ward_admin)
    client.post(rights_url(no_right_clerk, units["S-X11953"]), {"rights": [CREATE_CITIZEN]})
    assert set(Grant.objects.filter(account=no_right_clerk).values_list("right", flat=True)) == {
        "surveys", CREATE_CITIZEN}


def test_a_right_is_held_in_the_unit_where_it_was_granted(client, top, units):
    """A clerk of two counters, granted the right at one: creates accounts there only,
    and sees only that counter's accounts."""
    from operator_console.selectors import account_counter_units

    two_counters = person("033190001299", "Kiều Thị Mai", "+84912345199",
                          units=[units["S-X11953"], units["S-X11983"]])
    fresh_login(client, top)
    client.post(rights_url(two_counters, units["S-X11953"]), {"rights": [CREATE_CITIZEN]})
    assert account_counter_units(two_counters) == [units["S-X11953"]]
    clerk_browser = client.__class__()
    clerk_browser.force_login(two_counters)
    page = clerk_browser.get("/quan-tri/tao-tai-khoan-cong-dan/").content.decode()
    assert units["S-X11953"].name in page and units["S-X11983"].name not in page  # the filter
    # Removed from that counter, the right goes with it (and the trail says so).
    from operator_console.administration.services import member_remove

    member_remove(actor=top, ip="127.0.0.1", membership=Membership.objects.get(
        account=two_counters, unit=units["S-X11953"]))
    assert not Grant.objects.filter(account=two_counters).exists()
    assert AuditEntry.objects.filter(action="revoke", target=two_counters).count() == 1
    assert clerk_browser.get("/quan-tri/tao-tai-khoan-cong-dan/").status_code == 403


def test_granting_outside_ones_units_is_not_found(client, ward_admin, other_clerk, units):
    fresh_login(client, ward_admin)
    response = client.post(rights_url(other_clerk, units["S-X11983"]), {"rights": [ADD_USER]})
    assert response.status_code == 404
    assert not Grant.objects.filter(account=other_clerk, right=ADD_USER).exists()


def test_granting_to_oneself_is_refused(client, ward_admin, units):
    fresh_login(client, ward_admin)
    response = client.post(rights_url(ward_admin, units["X11953"]),
                           {"rights": [ADD_USER, CREATE_CITIZEN]}, follow=True)
    assert "chính mình" in response.content.decode()


def test_the_services_refuse_what_the_pages_hide(ward_admin, other_clerk, units):
    from operator_console.administration.services import AdminRefused, admin_appoint, rights_set

    with pytest.raises(AdminRefused):
        rights_set(actor=ward_admin, account=other_clerk, wanted={ADD_USER},
                   unit=units["S-X11983"], ip="127.0.0.1")
    with pytest.raises(AdminRefused):
        rights_set(actor=ward_admin, account=other_clerk, wanted={ADD_USER},
                   unit=units["S-X11953"], ip="127.0.0.1")  # a unit of his, but not hers
    with pytest.raises(AdminRefused):
        admin_appoint(actor=ward_admin, account=other_clerk, unit=units["S-X11953"],
                      ip="127.0.0.1")


def test_the_top_admin_of_one_province_cannot_reach_another(client, top, units):
    from operator_console.units import units_load

    units_load([{"province_code": "01", "province": "Thành phố Hà Nội", "ward_code": "00070",
                 "ward": "Phường Hoàn Kiếm"}])
    hanoi_clerk = person("001190000999", "Hà Nội Clerk", "+84912345399")
    fresh_login(client, top)
    from operator_console.models import Unit

    page = client.post("/quan-tri/quan-tri-don-vi/bo-nhiem/", {
        "id_number": hanoi_clerk.username, "unit": Unit.objects.get(code="S-X00070").pk,
    }, follow=True).content.decode()
    assert "Đơn vị không hợp lệ." in page
    assert not Administrator.objects.filter(account=hanoi_clerk).exists()


def test_audit_entries_cannot_be_changed_or_deleted(top, clerk, units):
    from django.db import DatabaseError, transaction
    from django.db.models import ProtectedError

    from operator_console.services import audit_record

    entry = audit_record(actor=top, action="grant", unit=units["P33"], target=clerk,
                         detail="x", ip="127.0.0.1")
    for change in (lambda: AuditEntry.objects.filter(pk=entry.pk).update(detail="y"),
                   lambda: AuditEntry.objects.filter(pk=entry.pk).update(target=None),
                   lambda: AuditEntry.objects.filter(pk=entry.pk).delete()):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    with pytest.raises(ProtectedError):  # an account named in the trail is deactivated
        clerk.delete()
    entry.refresh_from_db()
    assert (entry.target, entry.detail) == (clerk, "x")


@pytest.mark.django_db(transaction=True)
def test_a_fresh_otp_lets_the_administrator_on_to_where_they_were(
    client, top, clerk, units, sms_outbox
):
    from tests.sms import last_code

    client.force_login(top)
    target = rights_url(clerk, units["S-X11953"])
    response = client.get(target)
    assert response["Location"].startswith("/xac-nhan-lai/?next=")
    page = client.get(response["Location"])
    assert "Tiếp tục" in page.content.decode() and not sms_outbox  # a link texts no one
    response = client.post(page.request["PATH_INFO"] + "?" + page.request["QUERY_STRING"])
    assert response["Location"] == "/xac-nhan-lai/xac-thuc-otp/"
    page = client.get(response["Location"]).content.decode()
    assert "Xác nhận lại" in page
    response = client.post("/xac-nhan-lai/xac-thuc-otp/",
                           {"code": last_code(sms_outbox, "+84912345301")})
    assert response["Location"] == target
    assert client.get(target).status_code == 200


def test_a_unit_admin_cannot_touch_someone_who_also_works_elsewhere(
    client, ward_admin, top, units
):
    from operator_console.administration.services import AdminRefused, member_remove, rights_set

    Membership.objects.create(account=top, unit=units["S-X11953"])  # added to his counter
    with pytest.raises(AdminRefused) as refused:
        rights_set(actor=ward_admin, account=top, wanted=set(), unit=units["S-X11953"],
                   ip="127.0.0.1")
    assert "ngoài phạm vi" in refused.value.message
    with pytest.raises(AdminRefused):
        member_remove(actor=ward_admin, ip="127.0.0.1",
                      membership=Membership.objects.get(account=top, unit=units["S-X11953"]))
    assert Grant.objects.filter(account=top).count() == len(RIGHTS)


def test_a_top_admin_cannot_strip_a_fellow_top_admin(top, units):
    from operator_console.administration.services import AdminRefused, member_remove, rights_set

    fellow = person("033180000003", "Đỗ Văn Hùng", "+84912345303", units=[units["P33"]],
                    rights=list(RIGHTS))
    Administrator.objects.create(account=fellow, unit=units["P33"], level="province")
    with pytest.raises(AdminRefused) as refused:
        rights_set(actor=top, account=fellow, wanted=set(), unit=units["P33"], ip="127.0.0.1")
    assert "cùng cấp hoặc cấp trên" in refused.value.message
    with pytest.raises(AdminRefused):
        member_remove(actor=top, ip="127.0.0.1",
                      membership=Membership.objects.get(account=fellow))
    assert Grant.objects.filter(account=fellow).count() == len(RIGHTS)


def test_a_stale_appointment_returns_to_its_form_saying_nothing_was_saved(
    client, top, clerk, units
):
    client.force_login(top)
    response = client.post("/quan-tri/quan-tri-don-vi/bo-nhiem/",
                           {"id_number": clerk.username, "unit": units["X11953"].pk},
                           follow=True)
    page = response.content.decode()
    assert "Chưa lưu thay đổi" in page
    back = "/xac-nhan-lai/?next=%2Fquan-tri%2Fquan-tri-don-vi%2F"
    assert response.redirect_chain[-1][0] == back


def test_statistics_count_no_unit_s_counter_in_the_portal_wide_series(top, clerk, units):
    import datetime as dt

    from operator_console.stats.selectors import registrations_by_day, registrations_by_level

    person("001190000777", "Ở Quầy", "+84912345377").__class__.objects.filter(
        username="001190000777").update(registration_method="counter", assurance_level=3)
    today = dt.date.today()
    labels = [label for label, _counts in registrations_by_day(today, today).series]
    assert "Tại quầy một cửa" not in labels and "Quản trị tạo" not in labels
    level3 = dict(registrations_by_level(today, today).series)["Mức độ 3 (IAL3)"]
    assert level3 == [0]


def test_the_staff_list_finds_people_by_name_or_id(client, top, clerk, no_right_clerk):
    client.force_login(top)
    page = client.get("/quan-tri/nguoi-dung/", {"q": "thuy ha"}).content.decode()
    assert "Phạm Thị Thúy Hà" in page and "Lê Văn Bình" not in page
    page = client.get("/quan-tri/nguoi-dung/", {"q": no_right_clerk.username}).content.decode()
    assert "Lê Văn Bình" in page and "Phạm Thị Thúy Hà" not in page
