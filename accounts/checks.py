"""System checks of the portal's configuration (`manage.py check`, runserver, migrate)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks


@checks.register("signing")
def trust_files_check(app_configs, **kwargs):
    """A configured root, intermediate or CRL that is missing or unreadable: an error in
    production (the web processes refuse to start, portal/wsgi.py), a warning in
    development, where `manage.py dev_ca` writes the files after the first migrate."""
    from accounts.signatures import trust_files_problems

    level = checks.Warning if settings.DEBUG else checks.Error
    return [level(problem, id="signing.E001") for problem in trust_files_problems()]


@checks.register("security", deploy=True)
def passkey_domain_check(app_configs, **kwargs):
    """A browser uses a passkey only on its RP ID's domain and subdomains: with the portal
    served elsewhere, no passkey could be added or used."""
    rp_id = settings.WEBAUTHN_RP_ID
    host = urlsplit(settings.PORTAL_ORIGIN).hostname or ""
    if rp_id and host != rp_id and not host.endswith("." + rp_id):
        return [checks.Warning(f"WEBAUTHN_RP_ID {rp_id!r} is neither PORTAL_ORIGIN's host "
                               f"{host!r} nor a parent domain of it", id="accounts.W001")]
    return []
