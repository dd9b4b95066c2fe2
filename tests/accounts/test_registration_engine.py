"""The IAL2 methods are declarations on one engine: a fourth is a few lines."""

import pytest
from django.utils.translation import gettext_lazy as _

from accounts.flows import ial2
from accounts.flows.registration import RegistrationMethod
from accounts.flows.vouching import IdentityRefused
from accounts.forms import MobileRegistrationForm
from accounts.models import Account
from tests.accounts.conftest import AN, CAPTCHA, PASSWORD, last_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_declares_every_method_without_code_of_its_own():
    for method in ial2.METHODS.values():
        assert isinstance(method, RegistrationMethod)
        assert method.level == Account.Level.MEDIUM


def test_it_runs_a_fourth_method_declared_in_a_few_lines(client, monkeypatch, sms_outbox):
    asked = []

    class TownHallRefused(IdentityRefused):
        texts = {"not_in_register": _("Không khớp với sổ của UBND xã.")}

    def vouch_by_town_hall(person):
        asked.append(person["id_number"])
        if person["full_name"] != "Nguyễn Văn An":
            raise TownHallRefused("not_in_register")
        return person

    town_hall = RegistrationMethod(
        key="ubnd", label=_("UBND xã"), form_class=MobileRegistrationForm,
        vouch=vouch_by_town_hall, registry_label=_("của UBND xã"),
        verified_by=_("UBND xã"), account_method=Account.Method.ADMIN,
    )
    monkeypatch.setitem(ial2.METHODS, "ubnd", town_hall)

    refused = client.post("/dang-ky/ubnd/", {**AN, "full_name": "Người Khác", **CAPTCHA})
    assert "Không khớp với sổ của UBND xã." in refused.content.decode()
    assert "UBND xã" in client.get("/dang-ky/").content.decode()

    client.post("/dang-ky/ubnd/", {**AN, **CAPTCHA})
    client.post("/dang-ky/xac-thuc-otp/", {"code": last_code(sms_outbox)})
    client.post("/dang-ky/mat-khau/", {"password1": PASSWORD, "password2": PASSWORD})
    assert Account.objects.get().verified_by == "UBND xã"
    assert asked == [AN["id_number"]] * 2
