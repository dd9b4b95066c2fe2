"""The real carrier adapter, over HTTP, against the running sandbox server."""

import datetime as dt
import time

import pytest

from accounts.registries.base import CarrierQuery, CarrierVerdict, RegistryUnavailable
from accounts.registries.http import HttpCarrierRegistry
from tests.fixtures_sandbox import free_port


def query_for(phone: str, id_number: str, full_name: str, birth: str) -> CarrierQuery:
    return CarrierQuery(phone, id_number, full_name, dt.date.fromisoformat(birth))


# Sample people from sandbox/people.json, as they type themselves on the register form.
AN = query_for("+84912345001", "001090012345", "Nguyễn Văn An", "1990-03-15")
MAI_CARRIER_IN_CAPITALS = query_for("+84912345010", "001193890123", "Đỗ Thị Mai", "1993-08-08")
KHOA_SIM_IN_WIFES_NAME = query_for("+84912345009", "034082789012", "Ngô Văn Khoa", "1982-02-14")
PHUC_NO_SUBSCRIBER = query_for("+84912345013", "075087123450", "Lý Văn Phúc", "1987-03-03")
QUYNH_TIMES_OUT = query_for("+84912345014", "027191234560", "Dương Thị Quỳnh", "1991-09-19")
SON_ERROR = query_for("+84912345015", "037080345670", "Mai Văn Sơn", "1980-12-25")
THAO_NONSENSE = query_for("+84912345016", "045197456780", "Hồ Thị Thảo", "1997-07-07")


@pytest.fixture
def carrier(sandbox_server):
    return HttpCarrierRegistry(url=sandbox_server + "/carrier/check", timeout=1.0)


def reason_for(carrier, query) -> str:
    with pytest.raises(RegistryUnavailable) as failure:
        carrier.subscriber_check(query)
    return failure.value.reason


@pytest.mark.parametrize("query", [AN, MAI_CARRIER_IN_CAPITALS])
def test_it_confirms_the_owner_of_the_number(carrier, query):
    assert carrier.subscriber_check(query) is CarrierVerdict.MATCH


def test_it_says_not_the_owner_when_the_sim_is_in_someone_elses_name(carrier):
    assert carrier.subscriber_check(KHOA_SIM_IN_WIFES_NAME) is CarrierVerdict.NOT_OWNER


def test_it_says_no_subscriber_for_a_number_the_carrier_does_not_know(carrier):
    assert carrier.subscriber_check(PHUC_NO_SUBSCRIBER) is CarrierVerdict.NO_SUBSCRIBER


def test_it_gives_up_after_its_timeout_instead_of_holding_the_page(carrier):
    started = time.monotonic()
    assert reason_for(carrier, QUYNH_TIMES_OUT) == "timeout"
    assert time.monotonic() - started < 5


def test_it_reports_a_registry_error(carrier):
    assert reason_for(carrier, SON_ERROR) == "error"


def test_it_reports_an_answer_it_cannot_read(carrier):
    assert reason_for(carrier, THAO_NONSENSE) == "bad_answer"


def test_it_reports_an_unreachable_registry():
    closed = HttpCarrierRegistry(url=f"http://127.0.0.1:{free_port()}/carrier/check", timeout=1)
    assert reason_for(closed, AN) == "unreachable"


def test_it_logs_the_reason_but_no_personal_data(carrier, caplog):
    reason_for(carrier, SON_ERROR)
    assert "error" in caplog.text
    for detail in ("+84912345015", "037080345670", "Mai Văn Sơn", "1980-12-25"):
        assert detail not in caplog.text
