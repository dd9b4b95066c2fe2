"""Creating an account at a counter, step by step, and what each refusal changes (nothing)."""

import datetime as dt
import io
import zipfile

import pypdfium2
import pytest
import time_machine

from accounts.models import Account
from operator_console.models import AuditEntry, CounterRecord
from tests.operator_console.conftest import (
    PDF,
    WALK_IN,
    details_post,
    scan_file,
    start_creation,
)
from tests.sms import last_code

# Codes and passwords go out by SMS on commit: the tests run in real transactions.
pytestmark = pytest.mark.django_db(transaction=True)

BASE = "/quan-tri/tao-tai-khoan-cong-dan/them-moi/"
PHONE = "+84912345111"


def ready_to_confirm(client, clerk):
    client.force_login(clerk)
    start_creation(client)
    response = details_post(client)
    assert response.status_code == 302 and response["Location"] == BASE + "xac-nhan/"


def confirm(client, code: str):
    """Press "Tạo tài khoản" with `code` on the confirmation page of this look-up."""
    return client.post(BASE + "xac-nhan/", {"code": code, "for_id": WALK_IN["id_number"]})


def send_code(client, outbox) -> str:
    client.post(BASE + "gui-ma-otp/", {"for_id": WALK_IN["id_number"]})
    return last_code(outbox, PHONE)


def test_it_stops_at_the_lookup_when_the_id_already_has_an_account(client, clerk, citizen):
    client.force_login(clerk)
    page = start_creation(client, citizen.username).content.decode()
    assert f"Số CMND/CCCD {citizen.username} đã có tài khoản" in page
    assert "không cần tạo mới" in page
    assert client.get(BASE + "thong-tin/").status_code == 302  # no way on
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.target, entry.unit.code) == (
        clerk, "lookup", citizen, "S-X11953")


def test_it_refuses_an_invalid_id_number(client, clerk):
    client.force_login(clerk)
    page = start_creation(client, "12345").content.decode()
    assert "Số CMT/CCCD không hợp lệ" in page
    assert not AuditEntry.objects.exists()


def test_it_creates_a_level_3_account_when_the_latest_code_is_typed(
    client, clerk, sms_outbox
):
    ready_to_confirm(client, clerk)
    code = send_code(client, sms_outbox)
    assert "Hiệu lực 2 phút" in sms_outbox[-1]["text"]
    response = confirm(client, code)

    account = Account.objects.get(username=WALK_IN["id_number"])
    assert response["Location"] == f"/quan-tri/tao-tai-khoan-cong-dan/{account.pk}/"
    assert (account.full_name, account.birth_date, account.phone, account.email) == (
        "Hoàng Văn Nam", dt.date(1995, 5, 12), PHONE, "nam@example.vn")
    assert (account.assurance_level, account.registration_method) == (3, "counter")
    assert account.created_by == clerk and account.must_change_password
    record = CounterRecord.objects.get(account=account)
    assert (record.clerk, record.unit.code) == (clerk, "S-X11953")
    password_sms = sms_outbox[-1]["text"]
    assert sms_outbox[-1]["phone"] == PHONE and WALK_IN["id_number"] in password_sms
    password = password_sms.split("mật khẩu ")[1].split(".")[0]
    assert account.check_password(password)
    assert set(AuditEntry.objects.values_list("action", flat=True)) == {"lookup", "create"}


def test_it_refuses_a_code_after_two_minutes(client, clerk, sms_outbox):
    ready_to_confirm(client, clerk)
    with time_machine.travel(dt.datetime.now(dt.UTC)):
        code = send_code(client, sms_outbox)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=121)):
        page = confirm(client, code).content.decode()
    assert "Mã OTP đã hết hạn" in page and "“Gửi mã OTP”" in page
    assert not Account.objects.filter(username=WALK_IN["id_number"]).exists()


def test_only_the_latest_code_counts(client, clerk, sms_outbox):
    ready_to_confirm(client, clerk)
    first = send_code(client, sms_outbox)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=61)):
        second = send_code(client, sms_outbox)
        if first == second:  # one chance in a million: the old code must differ to test it
            return
        page = confirm(client, first).content.decode()
        assert "Mã OTP không đúng" in page
        assert not Account.objects.filter(username=WALK_IN["id_number"]).exists()
        confirm(client, second)
    assert Account.objects.filter(username=WALK_IN["id_number"]).exists()


def test_it_waits_a_minute_before_sending_another_code(client, clerk, sms_outbox):
    ready_to_confirm(client, clerk)
    send_code(client, sms_outbox)
    response = client.post(BASE + "gui-ma-otp/", {"for_id": WALK_IN["id_number"]}, follow=True)
    assert "Vui lòng đợi" in response.content.decode()
    assert len(sms_outbox) == 1


def test_it_requires_the_scan_and_keeps_a_good_one_across_other_errors(client, clerk):
    client.force_login(clerk)
    start_creation(client)
    page = details_post(client, scan=None).content.decode()
    assert "Bạn phải đính kèm bản quét 2 mặt CCCD/CMND." in page
    page = details_post(client, phone="0123").content.decode()  # the scan is good, the phone not
    assert "Số điện thoại không hợp lệ" in page and "Đã đính kèm:" in page
    response = details_post(client, scan=None)  # no need to attach it again
    assert response.status_code == 302


@pytest.mark.parametrize("name,telling", [
    ("cccd.pdf.exe", "pdf.exe"), ("../../etc/cccd.pdf", "etc/"),
    ("C:\\Users\\an\\cccd.pdf", "users"), ("<b>cccd</b>.pdf", "&lt;b&gt;"),
])
def test_it_never_keeps_nor_shows_the_name_the_file_came_with(client, clerk, name, telling):
    client.force_login(clerk)
    start_creation(client)
    page = details_post(client, phone="0123", scan=scan_file(name=name)).content.decode()
    confirm_page = client.get(details_post(client, scan=None)["Location"]).content.decode()
    for shown in (page, confirm_page):
        assert "Bản quét CCCD/CMND (PDF, 0,01 MB)" in shown
        assert telling not in shown.lower()
    assert telling not in str(dict(client.session.items())).lower()


def refused(client, upload) -> str:
    response = details_post(client, scan=upload)
    assert response.status_code == 200
    return response.content.decode()


def test_it_refuses_bad_uploads_and_changes_nothing(client, clerk, scan_storage, settings):
    client.force_login(clerk)
    start_creation(client)
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
    assert "không phải tài liệu PDF hoặc Word" in refused(client, scan_file(png, "CCCD.pdf"))
    assert "rỗng" in refused(client, scan_file(b"", "CCCD.pdf"))
    big = PDF + b"0" * settings.SCAN_MAX_BYTES
    assert "vượt quá 5 MB" in refused(client, scan_file(big, "CCCD.pdf"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not word")
    assert "không phải tài liệu PDF hoặc Word" in refused(client, scan_file(buffer.getvalue(),
                                                                            "CCCD.docx"))
    assert not scan_storage.exists() or not any(scan_storage.iterdir())
    assert not CounterRecord.objects.exists()


def test_it_refuses_two_files(client, clerk, scan_storage):
    client.force_login(clerk)
    start_creation(client)
    page = refused(client, [scan_file(), scan_file(name="mat-sau.pdf")])
    assert "Chỉ đính kèm 1 tệp" in page
    assert not scan_storage.exists() or not any(scan_storage.iterdir())


def test_it_warns_when_the_birth_year_disagrees_with_the_cccd_and_takes_a_reason(client, clerk):
    client.force_login(clerk)
    start_creation(client)
    page = details_post(client, birth_date="12/05/1996").content.decode()
    assert "Năm sinh không khớp với số CCCD" in page and "Lý do vẫn tạo tài khoản" in page
    response = details_post(client, birth_date="12/05/1996",
                            mismatch_reason="Thẻ cũ cấp sai cấu trúc, đã đối chiếu giấy khai sinh")
    assert response.status_code == 302
    assert "Thẻ cũ cấp sai cấu trúc" in client.get(BASE + "xac-nhan/").content.decode()


def test_it_gives_the_request_form_as_a_pdf_with_the_citizens_data(client, clerk):
    ready_to_confirm(client, clerk)
    response = client.get(BASE + "giay-de-nghi.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pypdfium2.PdfDocument(response.content)[0].get_textpage().get_text_range()
    assert "Hoàng Văn Nam" in text and "033095012345" in text
    assert "Bộ phận một cửa phường Phố Hiến" in text


def test_it_records_who_read_a_scan_and_returns_it_decrypted(client, clerk, sms_outbox):
    ready_to_confirm(client, clerk)
    client.post(BASE + "xac-nhan/", {"code": send_code(client, sms_outbox),
                                     "for_id": WALK_IN["id_number"]})
    account = Account.objects.get(username=WALK_IN["id_number"])
    response = client.get(f"/quan-tri/tao-tai-khoan-cong-dan/{account.pk}/ban-quet/")
    assert response.content == PDF
    entry = AuditEntry.objects.filter(action="scan_view").get()
    assert (entry.actor, entry.target, entry.unit.code) == (clerk, account, "S-X11953")


def test_a_clerk_resends_the_first_password_until_the_citizen_changes_it(
    client, clerk, sms_outbox
):
    ready_to_confirm(client, clerk)
    client.post(BASE + "xac-nhan/", {"code": send_code(client, sms_outbox),
                                     "for_id": WALK_IN["id_number"]})
    account = Account.objects.get(username=WALK_IN["id_number"])
    first = sms_outbox[-1]["text"]
    url = f"/quan-tri/tao-tai-khoan-cong-dan/{account.pk}/gui-lai-mat-khau/"
    assert "Đã gửi lại mật khẩu mới" in client.post(url, follow=True).content.decode()
    second = sms_outbox[-1]["text"]
    assert second != first
    account.refresh_from_db()
    assert account.check_password(second.split("mật khẩu ")[1].split(".")[0])
    assert AuditEntry.objects.filter(action="password_resend", target=account).exists()

    account.must_change_password = False  # the citizen chose their own
    account.save()
    page = client.post(url, follow=True).content.decode()
    assert "Công dân đã tự đặt mật khẩu" in page and len(sms_outbox) == 3


def test_a_page_left_open_for_another_lookup_changes_nothing(client, clerk, scan_storage):
    client.force_login(clerk)
    start_creation(client)  # tab 1: Nam
    start_creation(client, "001190000555")  # tab 2: someone else, looked up since
    page = details_post(client, for_id=WALK_IN["id_number"]).content.decode()
    assert "Trang này thuộc một lần tạo tài khoản khác" in page
    assert not scan_storage.exists() or not any(scan_storage.iterdir())  # Nam's scan not kept
    assert client.get(BASE + "xac-nhan/").status_code == 302  # nothing moved on


def test_the_confirmation_of_another_lookup_creates_nothing(client, clerk, sms_outbox):
    ready_to_confirm(client, clerk)
    code = send_code(client, sms_outbox)
    page = client.post(BASE + "xac-nhan/", {"code": code, "for_id": "001190000555"})
    assert "Trang này thuộc một lần tạo tài khoản khác" in page.content.decode()
    assert not Account.objects.filter(username=WALK_IN["id_number"]).exists()


def test_it_refuses_the_clerks_own_phone_for_the_citizen(client, clerk):
    client.force_login(clerk)
    start_creation(client)
    page = details_post(client, phone="0912 345 101").content.decode()
    assert "Đây là số điện thoại của cán bộ đang thao tác" in page


def test_it_says_to_send_a_code_first(client, clerk):
    ready_to_confirm(client, clerk)
    page = confirm(client, "123456").content.decode()
    assert "Chưa gửi mã OTP. Vui lòng bấm “Gửi mã OTP” trước." in page


def test_password_resends_are_capped_per_phone(client, clerk, sms_outbox, settings):
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "sms_per_phone": ["2/1h"]}
    ready_to_confirm(client, clerk)
    client.post(BASE + "xac-nhan/", {"code": send_code(client, sms_outbox),
                                     "for_id": WALK_IN["id_number"]})
    account = Account.objects.get(username=WALK_IN["id_number"])
    url = f"/quan-tri/tao-tai-khoan-cong-dan/{account.pk}/gui-lai-mat-khau/"
    client.post(url)  # the second counted SMS to this phone (the OTP was the first)
    page = client.post(url, follow=True).content.decode()
    assert "Bạn đã thử quá nhiều lần" in page
    assert len(sms_outbox) == 3


def test_a_reprinted_request_form_names_the_clerk_who_received_the_citizen(
    client, clerk, other_clerk, sms_outbox, units
):
    from operator_console.models import Grant, Membership
    from operator_console.rights import CREATE_CITIZEN

    ready_to_confirm(client, clerk)
    client.post(BASE + "xac-nhan/", {"code": send_code(client, sms_outbox),
                                     "for_id": WALK_IN["id_number"]})
    account = Account.objects.get(username=WALK_IN["id_number"])
    Membership.objects.create(account=other_clerk, unit=units["S-X11953"])
    Grant.objects.create(account=other_clerk, unit=units["S-X11953"], right=CREATE_CITIZEN)
    client.force_login(other_clerk)
    pdf = client.get(f"/quan-tri/tao-tai-khoan-cong-dan/{account.pk}/giay-de-nghi.pdf").content
    text = pypdfium2.PdfDocument(pdf)[0].get_textpage().get_text_range()
    assert "Phạm Thị Thúy Hà" in text and "Vũ Thị Lan" not in text
