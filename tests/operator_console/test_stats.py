"""The statistics page: what each administrator sees, per unit, per day, per method and
level, over which period, and at what cost in queries."""

import datetime as dt
import re
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Account
from operator_console.models import Administrator, CounterRecord
from operator_console.stats import charts
from tests.operator_console.conftest import person

URL = "/quan-tri/thong-ke/"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = dt.datetime(2025, 8, 20, 10, 0, tzinfo=HCM)
LONG_AGO = dt.datetime(2024, 1, 1, 9, 0, tzinfo=HCM)
BY_UNIT = "Số tài khoản tạo tại quầy theo đơn vị"
BY_DAY = "Số tài khoản tạo tại quầy mỗi ngày"
BY_METHOD = "Số tài khoản đăng ký mỗi ngày theo phương thức"
BY_LEVEL = "Số tài khoản đăng ký mỗi ngày theo mức độ xác minh"
PORTAL_NOTE = "Số liệu toàn quốc: đăng ký trực tuyến không gắn với đơn vị nào."
PHO_HIEN = "Bộ phận một cửa phường Phố Hiến"
SON_NAM = "Bộ phận một cửa phường Sơn Nam"


class Tables(HTMLParser):
    """Each table of a page as rows of cell texts, keyed by its caption."""

    def __init__(self, page: str):
        super().__init__()
        self.found, self.caption, self.rows, self.cell = {}, None, None, None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.caption, self.rows = "", []
        elif tag == "tr" and self.rows is not None:
            self.rows.append([])
        elif tag in ("th", "td", "caption") and self.rows is not None:
            self.cell = ""

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data

    def handle_endtag(self, tag):
        if tag == "caption" and self.cell is not None:
            self.caption, self.cell = self.cell.strip(), None
        elif tag in ("th", "td") and self.cell is not None:
            self.rows[-1].append(" ".join(self.cell.split()))
            self.cell = None
        elif tag == "table":
            self.found[self.caption], self.rows = self.rows, None


def tables(response) -> dict[str, list[list[str]]]:
    assert response.status_code == 200
    return Tables(response.content.decode()).found


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to(TODAY, tick=False)


@pytest.fixture
def top_admin(units):
    """Quang: top administrator of Hưng Yên."""
    account = person("033080001240", "Trần Văn Quang", "+84912345140")
    Administrator.objects.create(account=account, unit=units["P33"], level="province")
    return account


@pytest.fixture
def unit_admin(units):
    """Minh: administrator of the ward of Phố Hiến (and so of its counter)."""
    account = person("033082001241", "Nguyễn Văn Minh", "+84912345141")
    Administrator.objects.create(account=account, unit=units["X11953"], level="unit")
    return account


def local(day: int, hour: int, minute: int = 0, month: int = 8) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, minute, tzinfo=HCM)


def registered(username: str, when: dt.datetime, method: str = "mobile", level: int = 2
               ) -> Account:
    account = person(username, "Công dân " + username[-3:], "+849" + username[-8:])
    Account.objects.filter(pk=account.pk).update(created_at=when, registration_method=method,
                                                 assurance_level=level)
    return account


def created_at_counter(username: str, when: dt.datetime, unit, clerk) -> CounterRecord:
    account = registered(username, when, method="counter", level=3)
    return CounterRecord.objects.create(account=account, unit=unit, clerk=clerk, created_at=when,
                                        scan_name="0" * 32 + ".bin", scan_type="pdf")


def staff_out_of_period():
    """The staff's own accounts were made long before any period the tests look at."""
    Account.objects.update(created_at=LONG_AGO)


@pytest.fixture
def counter_work(units, clerk, other_clerk, top_admin, unit_admin):
    """Phố Hiến: 3 accounts (10/08 late evening, 11/08 just after midnight, 15/08);
    Sơn Nam: 1 (11/08); 1 at Phố Hiến long ago."""
    staff_out_of_period()
    created_at_counter("001190000101", local(10, 23, 30), units["S-X11953"], clerk)
    created_at_counter("001190000102", local(11, 0, 30), units["S-X11953"], clerk)
    created_at_counter("001190000103", local(15, 9), units["S-X11953"], clerk)
    created_at_counter("001190000104", local(11, 14), units["S-X11983"], other_clerk)
    created_at_counter("001190000105", LONG_AGO, units["S-X11953"], clerk)


def test_it_counts_counter_creations_per_unit_busiest_first(client, top_admin, counter_work):
    client.force_login(top_admin)
    found = tables(client.get(URL, {"date_from": "01/08/2025", "date_to": "20/08/2025"}))
    assert found[BY_UNIT] == [["Đơn vị", "Số tài khoản"], [PHO_HIEN, "3"], [SON_NAM, "1"],
                              ["Tổng", "4"]]


def test_it_counts_by_local_day_with_every_day_present(client, top_admin, counter_work):
    client.force_login(top_admin)
    found = tables(client.get(URL, {"date_from": "09/08/2025", "date_to": "12/08/2025"}))
    assert found[BY_DAY] == [["Ngày", "Số tài khoản"], ["09/08/2025", "0"], ["10/08/2025", "1"],
                             ["11/08/2025", "2"], ["12/08/2025", "0"], ["Tổng", "3"]]


def test_it_shows_a_unit_admin_only_their_units(client, unit_admin, counter_work):
    client.force_login(unit_admin)
    response = client.get(URL, {"date_from": "01/08/2025", "date_to": "20/08/2025"})
    found, page = tables(response), response.content.decode()
    assert found[BY_UNIT] == [["Đơn vị", "Số tài khoản"], [PHO_HIEN, "3"], ["Tổng", "3"]]
    assert found[BY_DAY][-1] == ["Tổng", "3"]
    assert ["11/08/2025", "1"] in found[BY_DAY]
    assert SON_NAM not in page
    assert BY_METHOD not in found and BY_LEVEL not in found and PORTAL_NOTE not in page


def test_it_shows_a_top_admin_the_portal_wide_registrations(client, top_admin):
    staff_out_of_period()
    registered("001190000201", local(18, 8), "mobile", 2)
    registered("001190000202", local(18, 9), "mobile", 2)
    registered("001190000203", local(18, 23, 59), "bhxh", 2)
    registered("001190000204", local(19, 0, 1), "usb", 3)
    registered("001190000205", local(17, 23, 59), "sim", 3)  # the day before the period
    client.force_login(top_admin)
    response = client.get(URL, {"date_from": "18/08/2025", "date_to": "20/08/2025"})
    found = tables(response)
    assert found[BY_METHOD] == [  # online methods only: a counter's accounts are its unit's
        ["Ngày", "Thuê bao di động", "Bảo hiểm xã hội", "Bưu điện Việt Nam", "USB ký số",
         "SIM ký số", "Tài khoản định danh điện tử VNeID", "Tổng"],
        ["18/08/2025", "2", "1", "0", "0", "0", "0", "3"],
        ["19/08/2025", "0", "0", "0", "1", "0", "0", "1"],
        ["20/08/2025", "0", "0", "0", "0", "0", "0", "0"],
        ["Tổng", "2", "1", "0", "1", "0", "0", "4"],
    ]
    assert found[BY_LEVEL] == [
        ["Ngày", "Mức độ 2 (IAL2)", "Mức độ 3 (IAL3)", "Tổng"],
        ["18/08/2025", "3", "0", "3"], ["19/08/2025", "0", "1", "1"],
        ["20/08/2025", "0", "0", "0"], ["Tổng", "3", "1", "4"],
    ]
    assert PORTAL_NOTE in response.content.decode()


def test_it_shows_the_last_30_days_by_default(client, unit_admin):
    client.force_login(unit_admin)
    response = client.get(URL)
    page, found = response.content.decode(), tables(response)
    assert "Số liệu từ ngày 22/07/2025 đến ngày 20/08/2025 (30 ngày)." in page
    assert 'value="22/07/2025"' in page and 'value="20/08/2025"' in page
    days = found[BY_DAY][1:-1]
    assert len(days) == 30 and days[0][0] == "22/07/2025" and days[-1][0] == "20/08/2025"
    assert "Không có tài khoản nào được tạo tại quầy trong khoảng thời gian này." in page


@pytest.mark.parametrize(("query", "message"), [
    ({"date_from": "10/08/2025", "date_to": "09/08/2025"},
     "“Đến ngày” phải sau hoặc bằng “Từ ngày”."),
    ({"date_from": "01/01/2024", "date_to": "01/01/2025"},
     "Chỉ xem được tối đa 366 ngày một lần."),
    ({"date_from": "2025-08-01", "date_to": ""}, "Ngày phải có dạng dd/mm/yyyy."),
])
def test_it_refuses_a_wrong_period(client, unit_admin, query, message):
    client.force_login(unit_admin)
    response = client.get(URL, query)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "Vui lòng sửa các ô được đánh dấu." in page and "<svg viewBox" not in page


def test_it_accepts_366_days(client, unit_admin):
    client.force_login(unit_admin)
    found = tables(client.get(URL, {"date_from": "01/01/2024", "date_to": "31/12/2024"}))
    assert len(found[BY_DAY]) == 366 + 2


def test_it_refuses_a_clerk_and_sends_a_stranger_to_log_in(client, clerk):
    assert client.get(URL)["Location"].startswith("/dang-nhap/?next=")
    client.force_login(clerk)
    response = client.get(URL)
    assert response.status_code == 403
    assert "không phải tài khoản quản trị" in response.content.decode()


def test_it_draws_svg_charts_with_an_accessible_summary(client, top_admin, counter_work):
    client.force_login(top_admin)
    page = client.get(URL, {"date_from": "01/08/2025", "date_to": "20/08/2025"}).content.decode()
    labels = re.findall(r'<svg viewBox="[^"]+"[^>]* role="img" aria-label="([^"]+)"', page)
    assert len(labels) == 4
    assert labels[0] == ("Biểu đồ thanh ngang: số tài khoản tạo tại quầy theo đơn vị, từ "
                         "01/08/2025 đến 20/08/2025. Tổng 4 tài khoản; nhiều nhất: "
                         f"{PHO_HIEN}, 3.")
    assert labels[1].endswith("Tổng 4; ngày nhiều nhất 11/08/2025: 2.")
    assert "Tổng 0: Thuê bao di động 0; Bảo hiểm xã hội 0" in labels[2]
    assert "Tại quầy một cửa" not in labels[2]  # counted in the viewer's own series only
    assert page.count("<title>Biểu đồ") == 4
    assert '<svg width="12" height="12" aria-hidden="true"' in page  # legend swatches
    assert 'role="region" aria-label="Bảng số liệu: ' + BY_UNIT + '"' in page


def test_it_costs_a_year_no_more_queries_than_a_week(
    client, top_admin, counter_work, django_assert_max_num_queries
):
    client.force_login(top_admin)
    with CaptureQueriesContext(connection) as week:
        client.get(URL, {"date_from": "14/08/2025", "date_to": "20/08/2025"})
    # The scope's unit tree is walked by the access check and again by the page.
    assert len(week) <= 20
    with django_assert_max_num_queries(len(week)):
        client.get(URL, {"date_from": "21/08/2024", "date_to": "20/08/2025"})


def test_it_reads_each_series_in_one_grouped_query(client, top_admin, counter_work):
    client.force_login(top_admin)
    with CaptureQueriesContext(connection) as queries:
        client.get(URL, {"date_from": "21/08/2024", "date_to": "20/08/2025"})
    grouped = [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"]]
    assert len(grouped) == 4
    assert sum("AT TIME ZONE 'Asia/Ho_Chi_Minh'" in sql for sql in grouped) == 3


def contrast(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[n:n + 2], 16)) for n in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def test_it_colours_every_series_distinctly_with_3_to_1_contrast_on_white():
    assert len(set(charts.PALETTE)) == len(charts.PALETTE) >= len(Account.Method.choices)
    assert all(contrast(colour) >= 3 for colour in charts.PALETTE)


@pytest.mark.parametrize("days", [1, 7, 10, 11, 31, 366])
def test_it_labels_at_most_10_days(days):
    first = dt.date(2025, 1, 1)
    span = [first + dt.timedelta(days=n) for n in range(days)]
    chart = charts.day_chart(span, [("x", [1] * days)], label="x")
    labels = [t.text for t in chart.texts if re.fullmatch(r"\d\d/\d\d", t.text)]
    assert 1 <= len(labels) <= 10 and labels[0] == "01/01"


def test_it_rounds_the_value_axis():
    assert charts.axis_ticks(0) == [0, 1]
    assert charts.axis_ticks(3) == [0, 1, 2, 3]
    assert charts.axis_ticks(7) == [0, 2, 4, 6, 8]
    assert charts.axis_ticks(1234) == [0, 500, 1000, 1500]


def test_it_stacks_a_days_parts_from_the_axis_up():
    chart = charts.day_chart([dt.date(2025, 1, 1)], [("a", [2]), ("b", [0]), ("c", [2])],
                             label="x", height=220)
    (bar,) = chart.bars
    low, high = bar.rects
    assert (low.fill, high.fill) == (charts.PALETTE[0], charts.PALETTE[2])
    assert high.y + high.height < low.y  # a white gap between the parts
    assert bar.title == "01/01/2025: 4 (a 2, c 2)"
    assert chart.legend == [("a", charts.PALETTE[0]), ("b", charts.PALETTE[1]),
                            ("c", charts.PALETTE[2])]


def test_it_sums_the_quiet_units_into_one_bar():
    items = [(f"Đơn vị {n:02}", 100 - n) for n in range(20)]
    chart = charts.unit_chart(items, label="x")
    assert len(chart.bars) == charts.MAX_UNIT_BARS
    assert chart.bars[-1].title == "Các đơn vị khác (9 đơn vị): " + str(sum(range(81, 90)))
