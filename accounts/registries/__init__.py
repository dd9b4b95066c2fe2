"""Outside registries that vouch for a person, each an adapter chosen in settings.

`settings.REGISTRIES[name]` gives a dotted path ("BACKEND") and keyword "OPTIONS", loaded
by portal.adapters. The sandbox backends live in `sandbox/`, the real ones here.
"""

from accounts.registries.base import (  # noqa: F401  (the package's public names)
    CarrierQuery,
    CarrierVerdict,
    PersonRecord,
    RegistryUnavailable,
)
from portal.adapters import adapter, adapters_reset


def registry(name: str):
    return adapter("REGISTRIES", name)


def registries_reset() -> None:
    """Forget the built adapters (for tests that edit settings.REGISTRIES in place)."""
    adapters_reset("REGISTRIES")
