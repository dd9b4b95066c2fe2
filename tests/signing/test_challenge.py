import base64
import hashlib

import pytest
from django.contrib.sessions.backends.signed_cookies import SessionStore

from signing.challenge import (
    NONCE_LIFETIME,
    SESSION_KEY,
    challenge_issue,
    challenge_take,
    signed_message,
)
from signing.errors import SignatureRefused

ORIGIN = "https://dichvucong.example.vn"


def test_nonce_is_32_random_bytes_in_standard_base64():
    nonce = challenge_issue({})
    assert len(base64.b64decode(nonce, validate=True)) == 32
    assert nonce.endswith("=")  # standard alphabet, with padding
    assert len({challenge_issue({}) for _ in range(50)}) == 50


def test_take_returns_the_nonce_once():
    session = {}
    nonce = challenge_issue(session)
    assert challenge_take(session) == nonce
    assert SESSION_KEY not in session
    with pytest.raises(SignatureRefused) as refused:
        challenge_take(session)
    assert refused.value.code == "nonce_missing"


def test_a_new_challenge_replaces_the_previous_one():
    session = {}
    first = challenge_issue(session)
    second = challenge_issue(session)
    assert first != second
    assert challenge_take(session) == second
    assert list(session) == []


def test_a_session_without_a_challenge_is_refused():
    with pytest.raises(SignatureRefused) as refused:
        challenge_take({"other": 1})
    assert refused.value.code == "nonce_missing"


def test_a_damaged_session_value_counts_as_missing():
    with pytest.raises(SignatureRefused) as refused:
        challenge_take({SESSION_KEY: "not a dict"})
    assert refused.value.code == "nonce_missing"


def test_the_nonce_lives_five_minutes():
    session = {}
    nonce = challenge_issue(session)
    issued = session[SESSION_KEY]["issued"]
    assert challenge_take(session, now=issued + NONCE_LIFETIME - 1) == nonce

    challenge_issue(session)
    issued = session[SESSION_KEY]["issued"]
    with pytest.raises(SignatureRefused) as refused:
        challenge_take(session, now=issued + NONCE_LIFETIME + 1)
    assert refused.value.code == "nonce_expired"
    # An expired nonce is gone too: trying again does not revive it.
    with pytest.raises(SignatureRefused) as refused:
        challenge_take(session, now=issued)
    assert refused.value.code == "nonce_missing"


def test_a_django_session_keeps_the_challenge_and_is_marked_modified():
    session = SessionStore()
    nonce = challenge_issue(session)
    assert session.modified
    reloaded = SessionStore(session_key=None)
    reloaded.update(session.items())
    assert challenge_take(reloaded) == nonce


def test_signed_message_binds_origin_and_nonce():
    nonce = challenge_issue({})
    message = signed_message(ORIGIN, nonce)
    assert len(message) == 64
    assert message == (hashlib.sha256(ORIGIN.encode()).digest()
                       + hashlib.sha256(nonce.encode()).digest())
    assert signed_message("https://dichvucong.example.vn.evil.test", nonce) != message
    assert signed_message(ORIGIN, challenge_issue({})) != message


def test_signed_message_hashes_the_origin_as_utf8():
    origin = "https://dịchvụcông.example.vn"
    assert signed_message(origin, "n")[:32] == hashlib.sha256(origin.encode("utf-8")).digest()
