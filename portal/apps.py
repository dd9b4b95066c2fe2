from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PortalConfig(AppConfig):
    name = "portal"
    default = True

    def ready(self):
        from portal import (
            correlation,  # noqa: F401  (its Celery signals)
            fragments,  # noqa: F401  (its receivers)
            outbound,
        )
        from portal.calls import call_record

        outbound.recorder = call_record


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with portal.admin.PortalAdminSite as `admin.site`.

    `default = False`, and AdminConfig imported through its module: otherwise Django would
    take a config found in this module for the `portal` app itself."""

    default = False
    default_site = "portal.admin.PortalAdminSite"
