"""System checks of the portal's configuration (`manage.py check`, runserver, migrate)."""

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
