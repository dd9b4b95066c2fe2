"""The carrier registry over HTTP: the real adapter, tested against the sandbox server."""

import logging

import requests

from accounts.registries.base import (
    CarrierQuery,
    CarrierRegistry,
    CarrierVerdict,
    RegistryUnavailable,
)

log = logging.getLogger("accounts.registries")

# A registry that cannot even accept the connection quickly will not answer well either.
CONNECT_TIMEOUT_CAP = 3.0


def _unavailable(reason: str) -> RegistryUnavailable:
    # Only the reason is logged: the query holds a phone, an ID number, a name and a birth date.
    log.warning("carrier registry unavailable: %s", reason)
    return RegistryUnavailable(reason)


class HttpCarrierRegistry(CarrierRegistry):
    """POSTs the query as JSON; the answer is {"verdict": "match"|"not_owner"|"no_subscriber"}."""

    def __init__(self, url: str, timeout: float = 5.0):
        self.url = url
        self.timeout = float(timeout)

    def subscriber_check(self, query: CarrierQuery) -> CarrierVerdict:
        response = self._post(query)
        if response.status_code >= 400:
            raise _unavailable("error")
        try:
            return CarrierVerdict(response.json()["verdict"])
        except (ValueError, TypeError, KeyError) as error:
            raise _unavailable("bad_answer") from error

    def _post(self, query: CarrierQuery) -> requests.Response:
        try:
            return requests.post(
                self.url,
                json=query.as_json(),
                timeout=(min(self.timeout, CONNECT_TIMEOUT_CAP), self.timeout),
                allow_redirects=False,
            )
        except requests.Timeout as error:
            raise _unavailable("timeout") from error
        except requests.ConnectionError as error:
            raise _unavailable("unreachable") from error
        except requests.RequestException as error:
            raise _unavailable("error") from error
