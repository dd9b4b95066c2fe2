"""Who gets which console page: the access matrix on every console URL."""

import pytest

from operator_console.models import CounterRecord
from tests.operator_console.conftest import person

LIST = "/quan-tri/tao-tai-khoan-cong-dan/"
FLOW_URLS = [
    LIST,
    LIST + "them-moi/",
    LIST + "them-moi/thong-tin/",
    LIST + "them-moi/xac-nhan/",
    LIST + "them-moi/giay-de-nghi.pdf",
]
POST_URLS = [LIST + "them-moi/gui-ma-otp/"]


@pytest.fixture
def record(units, other_clerk):
    """An account Lan created at the Sơn Nam counter."""
    citizen = person("001190000111", "Đỗ Thị Mai", "+84912345120")
    return CounterRecord.objects.create(account=citizen, unit=units["S-X11983"],
                                        clerk=other_clerk, scan_name="0" * 32 + ".bin",
                                        scan_type="pdf")


def record_urls(record) -> list[str]:
    base = f"{LIST}{record.pk}/"
    return [base, base + "ban-quet/", base + "giay-de-nghi.pdf"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", FLOW_URLS + POST_URLS)
def test_it_sends_anonymous_people_to_the_portal_login(client, url):
    response = client.post(url) if url in POST_URLS else client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/?next=")


@pytest.mark.parametrize("url", FLOW_URLS + POST_URLS)
def test_it_refuses_an_account_without_the_right_with_a_reason(client, no_right_clerk, url):
    client.force_login(no_right_clerk)
    response = client.post(url) if url in POST_URLS else client.get(url)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Quyền tạo tài khoản công dân" in page
    assert "Tài khoản của bạn chưa được cấp quyền này." in page


def test_it_refuses_a_citizen_the_records_of_any_counter(client, citizen, record):
    client.force_login(citizen)
    for url in record_urls(record):
        assert client.get(url).status_code == 403
    assert client.post(f"{LIST}{record.pk}/gui-lai-mat-khau/").status_code == 403


def test_it_hides_another_units_records_from_a_clerk(client, clerk, record):
    client.force_login(clerk)
    for url in record_urls(record):
        assert client.get(url).status_code == 404, url
    assert client.post(f"{LIST}{record.pk}/gui-lai-mat-khau/").status_code == 404
    assert "Đỗ Thị Mai" not in client.get(LIST).content.decode()


def test_it_shows_a_clerk_the_records_of_their_own_unit(client, other_clerk, record):
    client.force_login(other_clerk)
    page = client.get(LIST).content.decode()
    assert "Tìm thấy 1 kết quả" in page and "Đỗ Thị Mai" in page
    assert client.get(f"{LIST}{record.pk}/").status_code == 200


def test_it_explains_why_a_clerk_of_a_non_counter_unit_cannot_create(client, wrong_unit_clerk):
    client.force_login(wrong_unit_clerk)
    listing = client.get(LIST).content.decode()
    assert "Bộ phận một cửa" in listing and "Sở Tư pháp tỉnh Hưng Yên" in listing
    page = client.get(LIST + "them-moi/").content.decode()
    assert "Tài khoản cán bộ chưa được gán vào đơn vị" in page
    assert "đề nghị cán bộ quản trị của cơ quan, đơn vị" in page
    assert 'name="id_number"' not in page


def test_it_lets_a_clerk_with_the_right_open_the_console(client, clerk):
    client.force_login(clerk)
    assert client.get("/quan-tri/").status_code == 302
    assert client.get(LIST).status_code == 200
    assert client.get(LIST + "them-moi/").status_code == 200
    # Steps further on need the look-up first: back to it, not an error.
    response = client.get(LIST + "them-moi/xac-nhan/")
    assert response.status_code == 302 and response["Location"].endswith("/them-moi/")
