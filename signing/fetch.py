"""Fetching what a CA publishes about revocation: its CRL (GET at a distribution point)
and its OCSP answers (POST to its responder). The contract, and its HTTP implementation;
the development CA's in-process stand-in is sandbox.ca_service."""

import abc
import logging

import requests

log = logging.getLogger("signing.fetch")

CONNECT_TIMEOUT_CAP = 3.0
# Vietnamese CAs' lists run to a few megabytes; anything far larger is not a CRL.
CRL_MAX_BYTES = 64 * 1024 * 1024
OCSP_MAX_BYTES = 64 * 1024


class RevocationUnavailable(Exception):
    """The CA's service did not answer usably: "timeout", "unreachable", "error",
    "too_large". Logged without personal data."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


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
        try:
            with requests.request(method, url, stream=True, allow_redirects=False,
                                  timeout=(min(self.timeout, CONNECT_TIMEOUT_CAP), self.timeout),
                                  **kwargs) as response:
                if response.status_code != 200:
                    raise _unavailable("error")
                body = bytearray()
                for chunk in response.iter_content(64 * 1024):
                    body += chunk
                    if len(body) > limit:
                        raise _unavailable("too_large")
                return bytes(body)
        except requests.Timeout as error:
            raise _unavailable("timeout") from error
        except requests.ConnectionError as error:
            raise _unavailable("unreachable") from error
        except requests.RequestException as error:
            raise _unavailable("error") from error


def _unavailable(reason: str) -> RevocationUnavailable:
    log.warning("CA revocation service unavailable: %s", reason)
    return RevocationUnavailable(reason)
