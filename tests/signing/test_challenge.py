import base64
import hashlib

import pytest

from signing.challenge import NONCE_LIFETIME, nonce_check_fresh, nonce_new, signed_message
from signing.errors import SignatureRefused

ORIGIN = "https://dichvucong.example.vn"


def test_nonce_is_32_random_bytes_in_standard_base64():
    nonce = nonce_new()
    assert len(base64.b64decode(nonce, validate=True)) == 32
    assert len(nonce) == 44 and nonce.endswith("=")
    assert len({nonce_new() for _ in range(50)}) == 50


def test_the_nonce_lives_five_minutes():
    issued = 1_000_000.0
    nonce_check_fresh(issued, now=issued + NONCE_LIFETIME - 1)
    with pytest.raises(SignatureRefused) as refused:
        nonce_check_fresh(issued, now=issued + NONCE_LIFETIME + 1)
    assert refused.value.code == "nonce_expired"


def test_signed_message_binds_origin_and_nonce():
    nonce = nonce_new()
    message = signed_message(ORIGIN, nonce)
    assert len(message) == 64
    assert message == (hashlib.sha256(ORIGIN.encode()).digest()
                       + hashlib.sha256(nonce.encode()).digest())
    assert signed_message("https://dichvucong.example.vn.evil.test", nonce) != message
    assert signed_message(ORIGIN, nonce_new()) != message


def test_signed_message_hashes_the_origin_as_utf8():
    origin = "https://dịchvụcông.example.vn"
    assert signed_message(origin, "n")[:32] == hashlib.sha256(origin.encode("utf-8")).digest()
