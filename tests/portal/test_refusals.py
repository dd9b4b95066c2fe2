"""One way to refuse: a code, a table per domain, one base class the views catch."""

import importlib
import inspect

import pytest

from portal.refusals import Refusal

# Every module that declares a refusal, so that the walk below finds them all.
MODULES = [
    "accounts.codes", "accounts.otp", "accounts.ratelimit", "accounts.services",
    "accounts.flows.login", "accounts.flows.vouching", "accounts.registries.base",
    "signing.errors", "signing.sim.base", "signing.fetch", "portal.outbound",
    "operator_console.counter.scans", "operator_console.administration.services",
    "accounts.factors.checks", "accounts.factors.services", "accounts.flows.phone_change",
    "accounts.flows.email_change", "accounts.factors.passkey", "federation.clients",
    "federation.vneid.base", "federation.authorize",
]
SAMPLE = {"wait": 125, "tries_left": 3, "label": "", "size": 6 * 1024 * 1024,
          "unit": "Phường Hiến Nam", "name": "Trịnh Minh Quang", "named": "Sở Tư pháp",
          "held": "Sở Y tế", "count": 10, "uri": "https://dichvucong.backan.gov.vn/callback",
          "client_id": "backan"}


def _refusal_classes():
    for module in MODULES:
        importlib.import_module(module)
    seen, todo = [], [Refusal]
    while todo:
        for kind in todo.pop().__subclasses__():
            seen.append(kind)
            todo.append(kind)
    return seen


def _params(text) -> dict:
    if callable(text) and not hasattr(text, "_proxy____args"):
        return {name: SAMPLE[name] for name in inspect.signature(text).parameters}
    return {name: SAMPLE[name] for name in SAMPLE if f"%({name})" in str(text)}


def _sentences():
    for kind in _refusal_classes():
        for code, text in kind.texts.items():
            yield pytest.param(kind, code, text, id=f"{kind.__name__}-{code}")


@pytest.mark.parametrize("kind,code,text", list(_sentences()))
def test_every_code_of_every_domain_reads_as_a_sentence(kind, code, text):
    params = _params(text)
    refusal = (kind("timeout", **params) if kind.__init__ is not Refusal.__init__
               else kind(code, **params))
    message = refusal.message
    assert message[0].isupper() and message.rstrip().endswith((".", "”.")), message
    assert "%(" not in message and "%s" not in message, message
    assert str(refusal) != message, "the log line must carry the code, not the sentence"


def test_every_domain_is_found():
    names = {kind.__name__ for kind in _refusal_classes()}
    assert {"CodeRefused", "SendRefused", "RateLimited", "LoginRefused", "AccountExists",
            "IdentityRefused", "RegistryUnavailable", "SimServiceUnavailable", "SimRefused",
            "SignatureRefused", "ScanRefused", "AdminRefused"} <= names


def test_an_unknown_code_fails_where_it_is_made():
    from accounts.otp import SendRefused

    with pytest.raises(ValueError):
        SendRefused("no_such_reason")


def test_a_page_may_say_a_refusal_its_own_way():
    from accounts.codes import CodeRefused
    from operator_console.counter.flow import CONFIRM_REFUSALS

    refusal = CodeRefused("expired", tries_left=0)
    assert "“Gửi lại OTP”" in refusal.message
    assert "“Gửi mã OTP”" in refusal.message_in(CONFIRM_REFUSALS)
    wrong = CodeRefused("wrong", tries_left=2)  # not in the page's table: the domain's text
    assert wrong.message_in(CONFIRM_REFUSALS) == "Mã OTP không đúng. Bạn còn 2 lần thử."


def test_a_registry_that_does_not_answer_is_named():
    from accounts.registries.base import RegistryUnavailable

    assert "CSDL quốc gia về dân cư" in RegistryUnavailable("timeout").message
    named = RegistryUnavailable("timeout", label="CSDL Bảo hiểm xã hội")
    assert "Hệ thống CSDL Bảo hiểm xã hội đang không phản hồi" in named.message
    assert str(named) == "timeout" and named.reason == "timeout"
