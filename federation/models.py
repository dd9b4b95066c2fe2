"""The portals that sign people in here, what people agreed to share with them, and how
each sign-in was made.

django-oauth-toolkit keeps the OAuth side of a client (its id, hashed secret, redirect
URIs, grant type) in its `Application`; `Client` sits beside it, one to one, with what the
portal adds: the name people read, the scopes it may ask, whether it gets refresh tokens,
whether it is enabled and whose subjects it shares (its sector).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oauth2_provider.settings import oauth2_settings


class Client(models.Model):
    application = models.OneToOneField(oauth2_settings.APPLICATION_MODEL,
                                       on_delete=models.CASCADE, related_name="portal_client")
    # As the consent page names it: "Cổng dịch vụ công tỉnh Bắc Kạn (thử nghiệm)".
    display_name = models.CharField(_("Tên cổng"), max_length=200)
    logo_url = models.URLField(_("Địa chỉ logo"), blank=True)
    allowed_scopes = models.JSONField(_("Phạm vi được phép"), default=list, blank=True)
    refresh_allowed = models.BooleanField(_("Được cấp refresh token"), default=False)
    enabled = models.BooleanField(_("Đang hoạt động"), default=True)
    # Clients of one sector see the same subject for a person (federation/claims.py);
    # empty: the client's own id, so no two clients can correlate people by subject.
    sector = models.CharField(_("Định danh nhóm (sector)"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("Tạo lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("cổng liên thông đăng nhập")
        verbose_name_plural = _("cổng liên thông đăng nhập")

    def __str__(self):
        return self.display_name

    @property
    def sector_identifier(self) -> str:
        return self.sector or self.application.client_id


class Consent(models.Model):
    """What a person agreed a portal may receive; withdrawn, the row is deleted (the
    account's activity keeps the history)."""

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="client_consents")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="consents")
    scopes = models.JSONField(default=list)
    granted_at = models.DateTimeField(default=timezone.now)  # "since when"
    updated_at = models.DateTimeField(default=timezone.now)  # the last scope added

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "client"],
                                               name="consent_account_client")]

    def __str__(self):
        return f"consent of account {self.account_id} to client {self.client_id}"


class SignIn(models.Model):
    """How the login behind one authorization code was made, for the ID token the code is
    exchanged for: the token endpoint has no browser session to ask. It goes with its
    code (single use, a minute at most)."""

    grant = models.OneToOneField(oauth2_settings.GRANT_MODEL, on_delete=models.CASCADE,
                                 related_name="portal_sign_in")
    acr = models.CharField(max_length=64)
    amr = models.JSONField(default=list)
    auth_time = models.PositiveBigIntegerField()  # Unix time of the login

    def __str__(self):
        return f"sign-in of grant {self.grant_id} ({self.acr})"
