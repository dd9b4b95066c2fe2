"""The counter's look-up finds a person's account under either of their ID numbers (a CMND
and the CCCD that replaced it): tests/accounts/test_one_person.py tells the whole story."""

import pytest

from accounts.models import Account
from tests.accounts.conftest import POPULATION_DOWN, XUAN_CCCD, XUAN_CMND, YEN_CCCD

pytestmark = pytest.mark.django_db(transaction=True)
LOOKUP = "/quan-tri/tao-tai-khoan-cong-dan/them-moi/"


def test_the_counter_lookup_finds_the_account_under_the_other_card(client, xuan, clerk):
    client.force_login(clerk)
    page = client.post(LOOKUP, {"id_number": XUAN_CCCD}).content.decode()
    assert XUAN_CMND in page or "Tạ Văn Xuân" in page
    assert Account.objects.count() == 2  # Xuân and the clerk: nobody new


def test_the_counter_lookup_waits_for_the_population_registry(client, clerk, population_down):
    client.force_login(clerk)
    page = client.post(LOOKUP, {"id_number": YEN_CCCD}).content.decode()
    assert POPULATION_DOWN in page
