"""The verification code shown on the portal's waiting page and on the phone: 4 digits from
the hash being signed, by Mobile-ID's rule (6 high bits of the first byte, 7 low bits of
the last). Every expected value below is worked out by hand in its comment."""

import pytest

from signing.sim.base import digest_of, verification_code


def _digest(first: int, last: int, middle: int = 0) -> bytes:
    return bytes([first]) + bytes([middle]) * 30 + bytes([last])


@pytest.mark.parametrize("digest,code", [
    (_digest(0x00, 0x00), "0000"),
    (_digest(0xFF, 0xFF), "8191"),  # (0xFC << 5) | 0x7F = 8064 + 127, the largest code
    (_digest(0x04, 0x05), "0133"),  # 0x04 << 5 = 128; 0x05 = 5
    (_digest(0x03, 0x80), "0000"),  # the 2 low bits of the first byte and the top bit of
                                    # the last do not count
    (_digest(0x2F, 0xB6), "1462"),  # 0x2C << 5 = 1408; 0xB6 & 0x7F = 54
])
def test_it_takes_the_high_bits_of_the_first_byte_and_the_low_bits_of_the_last(digest, code):
    assert verification_code(digest) == code


def test_it_ignores_the_bytes_in_between():
    assert verification_code(_digest(0x2F, 0xB6, middle=0xAA)) == "1462"


def test_it_computes_the_code_of_known_sha256_hashes():
    # SHA-256("") = e3b0c442…7852b855: (0xE3 & 0xFC) << 5 = 224 × 32 = 7168; 0x55 = 85.
    assert digest_of(b"").hex().startswith("e3b0c442")
    assert verification_code(digest_of(b"")) == "7253"
    # SHA-256("abc") = ba7816bf…f20015ad: (0xBA & 0xFC) << 5 = 184 × 32 = 5888; 0x2D = 45.
    assert digest_of(b"abc").hex().endswith("f20015ad")
    assert verification_code(digest_of(b"abc")) == "5933"
