"""The development pages of `make run`, under /dev/: the SMS and mail outboxes and the
simulated phone. Routed only with the setting DEV_PAGES, which DEBUG off refuses."""

from django.urls import include, path

from accounts.views import dev

urlpatterns = [
    path("sms/", dev.sms_outbox, name="dev_sms"),
    path("email/", dev.mail_outbox, name="dev_mail"),  # issue 17: the development mailbox
    path("", include("sandbox.urls")),
]
