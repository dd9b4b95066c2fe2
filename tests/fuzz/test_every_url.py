"""Every URL of the portal, read from the URLconf, sent any query string and any POST body
by anyone (nobody, a citizen, a clerk, a top administrator): never a 5xx.

The forms' own tests (the other modules here) reach deep into each flow; this one makes
sure that no page, including ones added later, is left out of the fuzz.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import assume, given
from hypothesis import strategies as st

from tests.fuzz import strategies as s
from tests.fuzz.conftest import (
    MANY,
    answered,
    example,
    fresh_login,
    fuzz,
    new_client,
    query_string,
)

# Posting here as a logged-in person texts an OTP, which only a real transaction can do: the
# OTP steps are fuzzed by test_citizen_forms.test_the_otp_steps.
SENDS_SMS = {"/xac-nhan-lai/"}
# Django's own admin site, beyond its entry and login pages: not a form of the portal.
SKIPPED = re.compile(r"^quan-tri-he-thong/(?!login/$).+")


def _patterns(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def url_templates() -> list[str]:
    found = []
    for pattern in _patterns(get_resolver().url_patterns):
        pattern = pattern.replace("^", "").replace("$", "").replace("\\", "")
        if not SKIPPED.match(pattern):
            found.append("/" + pattern)
    return sorted(set(found))


SLUGS = ["mobile", "bhxh", "vnpost", "cong-dan", "doanh-nghiep", "khac", "0", "a" * 200]
WORD_KEYS = ["abc", "0" * 40, "x" * 300]


@st.composite
def concrete_urls(draw) -> str:
    """One URL of the portal, its parameters filled with plausible or extreme values."""
    url = draw(st.sampled_from(url_templates()))
    url = re.sub(r"<slug:\w+>", lambda _m: draw(st.sampled_from(SLUGS)), url)
    url = re.sub(r"<int:\w+>", lambda _m: str(draw(st.one_of(
        st.integers(0, 50), st.sampled_from([2**31, 2**63, 10**40])))), url)
    url = re.sub(r"\(\?P<\w+>[^)]*\)", lambda _m: draw(st.sampled_from(WORD_KEYS)), url)
    return url


FIELD_NAMES = ["id_number", "full_name", "birth_date", "phone", "email", "bhxh_code",
               "captcha_0", "captcha_1", "username", "password", "code", "password1",
               "password2", "old_password", "certificate", "signature", "algorithm", "unit",
               "rights", "for_id", "mismatch_reason", "q", "trang", "next", "date_from",
               "date_to", "actor", "action", "target", "name", "clerk"]
ANY_BODY = s.form_data({name: s.value_or_list(s.junk()) for name in FIELD_NAMES})


@pytest.fixture
def personas(citizen, clerk, top):
    return {"anonymous": None, "citizen": citizen, "clerk": clerk, "top": top}


@fuzz(MANY)
@given(url=concrete_urls(), who=st.sampled_from(["anonymous", "citizen", "clerk", "top"]),
       query=ANY_BODY, body=ANY_BODY, post=st.booleans())
def test_any_request_to_any_url(personas, url, who, query, body, post):
    assume(not (post and who != "anonymous" and url in SENDS_SMS))
    with example():
        client = new_client()
        if personas[who] is not None:
            fresh_login(client, personas[who])
        if post:
            response = client.post(url + "?" + query_string(query), body)
        else:
            response = client.get(url, query)
        answered(response, f"{'POST' if post else 'GET'} {url} as {who}")


def test_the_urlconf_is_read(db):
    """The list above is taken from the URLconf: it must hold the portal's forms."""
    templates = url_templates()
    for url in ("/dang-ky/<slug:method_key>/", "/dang-nhap/", "/quan-tri/nhat-ky/tai-xuong.csv",
                "/quan-tri/nguoi-dung/<int:membership_id>/phan-quyen/"):
        assert url in templates
