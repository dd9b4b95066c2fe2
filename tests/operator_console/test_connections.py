"""Top administrators read the record of calls to outside systems ("Nhật ký kết nối hệ
thống ngoài"), with filters; no one else opens it."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from portal.models import OutboundCall

URL = "/quan-tri/ket-noi-ngoai/"


def local(*when) -> time_machine.travel:
    return time_machine.travel(timezone.make_aware(dt.datetime(*when)), tick=False)


def call(system: str, operation: str, outcome: str = "ok", *, at, status=None, ms=80):
    with at:
        return OutboundCall.objects.create(system=system, operation=operation, outcome=outcome,
                                           status=status, duration_ms=ms,
                                           correlation_id="c0ffee" * 4)


@pytest.fixture
def calls(db):
    """A carrier check and an SMS on the 9th; the SMS gateway answering 503 on the 10th,
    and BHXH timing out just after local midnight (still the 10th in UTC)."""
    call("carrier registry", "POST /carrier/check", at=local(2026, 5, 9, 8, 0), ms=120)
    call("sms gateway", "POST /sms/send", at=local(2026, 5, 9, 8, 1), ms=35)
    call("sms gateway", "POST /sms/send", "error", status=503, at=local(2026, 5, 10, 9, 0))
    call("bhxh registry", "POST /bhxh/lookup", "timeout", at=local(2026, 5, 11, 0, 30),
         ms=5003)


def table(page: str) -> str:
    return page.split("<tbody>")[1].split("</tbody>")[0]


def rows(page: str) -> int:
    return table(page).count('<td class="text-nowrap">')  # a call's time: one per call


def test_it_sends_anonymous_people_to_the_portal_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


def test_it_refuses_everyone_but_a_top_administrator(client, ward_admin, clerk, calls):
    for account, own_page in ((ward_admin, "/quan-tri/nhat-ky/"),
                              (clerk, "/quan-tri/tao-tai-khoan-cong-dan/")):
        client.force_login(account)
        response = client.get(URL)
        assert response.status_code == 403
        assert "Chỉ quản trị cấp cao của tỉnh mới xem được trang này." in response.content.decode()
        page = client.get(own_page)
        assert page.status_code == 200 and "Kết nối hệ thống ngoài" not in page.content.decode()


def test_it_shows_the_last_week_newest_first_in_words_an_administrator_reads(
    client, top, calls
):
    client.force_login(top)
    with local(2026, 5, 16, 12, 0):  # a week back reaches the 10th: the 9th's are left out
        page = client.get(URL).content.decode()
    assert 'value="10/05/2026"' in page and "7 ngày gần nhất." in page
    assert "Tìm thấy 2 kết quả" in page
    with local(2026, 5, 11, 12, 0):
        page = client.get(URL).content.decode()
    assert "Nhật ký kết nối hệ thống ngoài" in page and "Tìm thấy 4 kết quả" in page
    assert 'href="/quan-tri/ket-noi-ngoai/" aria-current="page"' in page  # the menu's entry
    listed = table(page)
    order = [listed.index(text) for text in ("Bảo hiểm xã hội Việt Nam", "(HTTP 503)",
                                             "Nhà mạng (thông tin thuê bao di động)")]
    assert order == sorted(order)
    assert "Hết thời gian chờ" in page and "5003 ms" in page and "c0ffee" * 4 in page
    assert "được lưu 90 ngày" in page


@pytest.mark.parametrize("query,count", [
    ({"system": "sms gateway"}, 2),
    ({"outcome": "failed"}, 2),
    ({"outcome": "timeout"}, 1),
    ({"system": "sms gateway", "outcome": "failed"}, 1),
    ({"date_from": "10/05/2026", "date_to": "10/05/2026"}, 1),  # local days
    ({"date_from": "11/05/2026"}, 1),
    ({"correlation_id": "c0ffee" * 4}, 4),
    ({"correlation_id": "another-request-id"}, 0),
])
def test_it_filters_by_system_outcome_and_local_day(client, top, calls, query,
                                                    count):
    client.force_login(top)
    page = client.get(URL, query).content.decode()
    assert rows(page) == count and f"Tìm thấy {count} kết quả" in page


def test_it_says_what_is_wrong_with_a_filter(client, top, calls):
    client.force_login(top)
    page = client.get(URL, {"system": "máy pha cà phê", "date_from": "32/13/2026",
                            "outcome": "x"}).content.decode()
    assert "Hệ thống không hợp lệ." in page and "Kết quả không hợp lệ." in page
    page = client.get(URL, {"correlation_id": "a b<c>"}).content.decode()
    assert "Mã theo dõi gồm 8 đến 64 chữ cái không dấu" in page and "<c>" not in page
    assert "Vui lòng sửa các ô tìm kiếm được đánh dấu." in page
    page = client.get(URL, {"date_from": "11/05/2026", "date_to": "09/05/2026"}).content.decode()
    assert "“Đến ngày” phải sau hoặc bằng “Từ ngày”." in page
