"""Fetching what a CA publishes about revocation: its CRL (GET at a distribution point)
and its OCSP answers (POST to its responder). The contract, and its HTTP implementation;
the development CA's in-process stand-in is sandbox.ca_service."""

import abc

from portal import outbound

# Vietnamese CAs' lists run to a few megabytes; anything far larger is not a CRL.
CRL_MAX_BYTES = 64 * 1024 * 1024
OCSP_MAX_BYTES = 64 * 1024


class RevocationUnavailable(outbound.Unavailable):
    """The CA's service did not answer usably (`reason`: one of portal.outbound.REASONS).
    Logged without personal data."""


class RevocationFetcher(abc.ABC):
    @abc.abstractmethod
    def crl(self, url: str) -> bytes:
        """The list published at `url` (DER or PEM), or RevocationUnavailable."""

    @abc.abstractmethod
    def ocsp(self, url: str, request: bytes) -> bytes:
        """The responder's DER answer to the DER `request`, or RevocationUnavailable."""


class HttpRevocationFetcher(RevocationFetcher):
    def __init__(self, timeout: float = 3.0):
        self.timeout = float(timeout)

    def crl(self, url: str) -> bytes:
        return self._read("GET", url, CRL_MAX_BYTES)

    def ocsp(self, url: str, request: bytes) -> bytes:
        return self._read("POST", url, OCSP_MAX_BYTES, data=request,
                          headers={"Content-Type": "application/ocsp-request"})

    def _read(self, method: str, url: str, limit: int, **kwargs) -> bytes:
        return outbound.request(method, url, system="CA revocation service",
                                kind=RevocationUnavailable, timeout=self.timeout, limit=limit,
                                **kwargs)
