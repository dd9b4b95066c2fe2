"""The one loader of the outside systems' adapters, the way Django loads a mail backend.

Each adapter is a settings dict {"BACKEND": dotted path, "OPTIONS": {keyword arguments}}:
`SIM_SIGNATURE_SERVICE` and `SIGNING_REVOCATION_FETCHER` are one, `REGISTRIES` and
`SMS_BACKENDS` map a name to one. An adapter is built at its first use and kept: the HTTP
ones hold nothing per call, and building one per call would be waste. A changed setting
(override_settings, pytest-django's `settings`) forgets the adapters it configured.
"""

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

_built: dict[tuple[str, str | None], object] = {}


def adapter(setting_name: str, alias: str | None = None):
    """The adapter configured by `settings.<setting_name>`, or by its entry `alias`."""
    key = (setting_name, alias)
    built = _built.get(key)
    if built is None:
        config = getattr(settings, setting_name)
        if alias is not None:
            config = config[alias]
        # Two threads may build it at once: the first one kept wins, both are the same.
        built = _built.setdefault(
            key, import_string(config["BACKEND"])(**config.get("OPTIONS", {})))
    return built


def adapters_reset(setting_name: str | None = None) -> None:
    """Forget the adapters built from `setting_name` (all of them when None): for a test
    that edits a setting in place, which sends no signal."""
    for key in [key for key in list(_built) if setting_name in (None, key[0])]:
        _built.pop(key, None)


@receiver(setting_changed)
def _setting_changed(*, setting: str, **kwargs) -> None:
    adapters_reset(setting)
