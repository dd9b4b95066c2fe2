"""The development pages of `make run`, under /dev/: the SMS outbox and the simulated
phone. Routed only with the setting DEV_PAGES, which DEBUG off refuses."""

from django.urls import include, path

from accounts.views import dev

urlpatterns = [
    path("sms/", dev.sms_outbox, name="dev_sms"),
    path("", include("sandbox.urls")),
]
