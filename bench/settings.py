"""The portal's production settings with the caps of one crowd raised, for `make bench`.

The load comes from one address and a few thousand made-up people in minutes, so the caps
meant for one person or one address would stop it at once. Every cap is still counted
(the same rows and statements in PostgreSQL, as many rules as in production), only its
numbers are raised. Everything else is portal.settings as production runs it: DEBUG off,
PostgreSQL, Redis, Celery, the HTTP adapters.
"""

from portal.settings import *  # noqa: F403
from portal.settings import INSTALLED_APPS, PORTAL_LIMITS

CROWD = "1000000/1h"
PORTAL_LIMITS = {
    **PORTAL_LIMITS,
    "sms_per_phone": [CROWD, "1000000/1d"],
    "sms_per_ip": [CROWD],
    "password_per_account": [CROWD],
    "password_per_ip": [CROWD],
    "registry_per_ip": [CROWD],
}
# The bare view (baseline of the public pages) and the no-op task (baseline of the SMS).
ROOT_URLCONF = "bench.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
