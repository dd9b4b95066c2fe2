import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()


def _trust_files_check() -> None:
    """A web process does not start on trust files it cannot read (a CRL silently
    dropped would leave its CA's certificates unchecked for revocation)."""
    from django.conf import settings

    from accounts.signatures import trust_files_problems

    problems = trust_files_problems()
    if problems and not settings.DEBUG:
        raise ImproperlyConfigured("trust files: " + "; ".join(problems))


_trust_files_check()
