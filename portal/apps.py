from django.contrib.admin import apps as admin_apps


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with portal.admin.PortalAdminSite as `admin.site`.

    `default = False`, and AdminConfig imported through its module: otherwise Django would
    take a config found in this module for the `portal` app itself."""

    default = False
    default_site = "portal.admin.PortalAdminSite"
