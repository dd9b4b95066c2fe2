"""portal.settings for the fault suite's Celery workers: a message whose worker died
comes back after seconds, not after the Redis transport's default hour.

Only the consumer side reads these options; the test process publishes as the portal does.
"""

from portal.settings import *  # noqa: F403
from portal.settings import CELERY_BROKER_TRANSPORT_OPTIONS

CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "visibility_timeout": 3,
    # Look for abandoned messages every second (the default: every 10 × 10 s).
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
