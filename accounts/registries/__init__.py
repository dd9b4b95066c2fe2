"""Outside registries that vouch for a person, each an adapter chosen in settings.

`settings.REGISTRIES[name]` gives a dotted path ("BACKEND") and keyword "OPTIONS", the way
Django picks a mail backend. The sandbox backends live in `sandbox/`, the real ones here.
"""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from accounts.registries.base import (  # noqa: F401  (the package's public names)
    CarrierQuery,
    CarrierVerdict,
    PersonRecord,
    RegistryUnavailable,
)


@cache
def registry(name: str):
    config = settings.REGISTRIES[name]
    return import_string(config["BACKEND"])(**config.get("OPTIONS", {}))


def registries_reset() -> None:
    """Forget the built adapters (tests that change settings.REGISTRIES call this)."""
    registry.cache_clear()
