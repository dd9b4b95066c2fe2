"""The Django admin ("Quản trị kỹ thuật"), installed as the default site by
portal.apps.PortalAdminConfig: `admin.site` is this site, so apps register on it as usual."""

from django.contrib.admin import AdminSite
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


class PortalAdminSite(AdminSite):
    """For superusers only, reached through the portal's own login (password and OTP)."""

    site_header = "Quản trị kỹ thuật"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def login(self, request, extra_context=None):
        """No password-only door: the admin's login sends people to the portal's."""
        target = request.GET.get("next", reverse("admin:index", current_app=self.name))
        return redirect(reverse("accounts:login") + "?" + urlencode({"next": target}))
