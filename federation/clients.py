"""Registering the portals that sign people in here: making a client, changing it,
enabling or disabling it, giving it a new secret. Every write is checked here, whoever
calls (the console's pages), and owns its transaction.

The toolkit's `Application` hashes a secret as it is saved: the secret is returned once,
by the call that made it, and cannot be read again.

A redirect URI is matched character for character (federation/validator.py), so what is
registered must be exactly what the portal sends: an absolute https address, without a
fragment (RFC 6749 section 3.1.2) or a wildcard. Plain http only for the computer's own
address, and only where the toolkit's settings allow http at all (development).
"""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from oauth2_provider.generators import generate_client_id, generate_client_secret
from oauth2_provider.models import get_application_model
from oauth2_provider.settings import oauth2_settings

from federation.models import Client
from federation.scopes import OPENID, SCOPES, scopes_known
from portal.refusals import Refusal

Application = get_application_model()
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CLIENT_ID = re.compile(r"[A-Za-z0-9._-]{3,100}")
MAX_URIS = 10
_url_valid = URLValidator(schemes=["http", "https"])


class ClientRefused(Refusal):
    texts = {
        "no_redirect": _("Phải có ít nhất một địa chỉ trả về."),
        "no_name": _("Phải nhập tên cổng."),
        "too_many": _("Tối đa %(count)d địa chỉ."),
        "not_absolute": _("Địa chỉ “%(uri)s” không phải địa chỉ đầy đủ: phải bắt đầu bằng https://"
                          " và có tên miền."),
        "not_https": _("Địa chỉ “%(uri)s” phải dùng https:// (http:// chỉ dùng được với 127.0.0.1 "
                       "hoặc localhost trong môi trường phát triển)."),
        "fragment": _("Địa chỉ “%(uri)s” không được có phần sau dấu #."),
        "wildcard": _("Địa chỉ “%(uri)s” không được có ký tự đại diện *: địa chỉ được so khớp đúng "
                      "từng ký tự."),
        "invalid": _("Địa chỉ “%(uri)s” không phải địa chỉ hợp lệ."),
        "scope_unknown": _("Phạm vi thông tin không hợp lệ."),
        "client_id_invalid": _("Mã cổng gồm 3 đến 100 ký tự: chữ cái không dấu, chữ số, dấu "
                               "chấm, gạch ngang hoặc gạch dưới."),
        "client_id_taken": _("Mã cổng “%(client_id)s” đã được dùng."),
        "public": _("Cổng này không dùng khóa bí mật (chỉ PKCE), nên không có khóa để cấp "
                    "lại."),
    }


def uri_check(uri: str) -> str:
    """`uri` if it can be registered, else ClientRefused naming what is wrong."""
    if "*" in uri:
        raise ClientRefused("wildcard", uri=uri)
    if "#" in uri:
        raise ClientRefused("fragment", uri=uri)
    try:
        parts = urlsplit(uri)
        host = parts.hostname
    except ValueError:
        raise ClientRefused("invalid", uri=uri) from None
    if not parts.scheme or not host:
        raise ClientRefused("not_absolute", uri=uri)
    plain_allowed = "http" in oauth2_settings.ALLOWED_REDIRECT_URI_SCHEMES
    if parts.scheme != "https" and not (
            parts.scheme == "http" and plain_allowed and host in LOOPBACK):
        raise ClientRefused("not_https", uri=uri)
    try:
        _url_valid(uri)
    except ValidationError:
        raise ClientRefused("invalid", uri=uri) from None
    if "@" in parts.netloc:  # a user name before the host only misleads who reads it
        raise ClientRefused("invalid", uri=uri)
    return uri


def uris_check(uris, *, required: bool = False) -> list[str]:
    """The addresses, each checked, duplicates dropped, in their order."""
    found = list(dict.fromkeys(uri.strip() for uri in uris if uri.strip()))
    if required and not found:
        raise ClientRefused("no_redirect")
    if len(found) > MAX_URIS:
        raise ClientRefused("too_many", count=MAX_URIS)
    return [uri_check(uri) for uri in found]


def client_id_check(client_id: str) -> str:
    if not CLIENT_ID.fullmatch(client_id):
        raise ClientRefused("client_id_invalid")
    if Application.objects.filter(client_id=client_id).exists():
        raise ClientRefused("client_id_taken", client_id=client_id)
    return client_id


def _scopes(scopes) -> list[str]:
    if set(scopes) - set(SCOPES):
        raise ClientRefused("scope_unknown")
    return scopes_known({OPENID, *scopes})


def clients_list():
    return Client.objects.select_related("application").order_by("display_name", "pk")


def client_create(*, display_name: str, redirect_uris, post_logout_redirect_uris=(),
                  allowed_scopes=(), logo_url: str = "", refresh_allowed: bool = False,
                  confidential: bool = True, enabled: bool = True, sector: str = "",
                  client_id: str = "") -> tuple[Client, str]:
    """A new client, and its secret in clear ("" for a public client: PKCE alone)."""
    client_id = client_id_check(client_id) if client_id else generate_client_id()
    secret = generate_client_secret() if confidential else ""
    application = Application(
        client_id=client_id, client_secret=secret, authorization_grant_type=(
            Application.GRANT_AUTHORIZATION_CODE), algorithm=Application.RS256_ALGORITHM,
        client_type=(Application.CLIENT_CONFIDENTIAL if confidential
                     else Application.CLIENT_PUBLIC))
    client = Client(application=application, enabled=enabled, sector=sector.strip())
    _apply(client, display_name=display_name, redirect_uris=redirect_uris,
           post_logout_redirect_uris=post_logout_redirect_uris, allowed_scopes=allowed_scopes,
           logo_url=logo_url, refresh_allowed=refresh_allowed)
    try:
        with transaction.atomic():
            application.save()  # the secret is hashed here
            client.application = application
            client.save()
    except IntegrityError:  # the same id registered meanwhile
        raise ClientRefused("client_id_taken", client_id=client_id) from None
    return client, secret


def client_update(*, client: Client, **values) -> list[str]:
    """Change the editable fields `values` names (display_name, redirect_uris,
    post_logout_redirect_uris, allowed_scopes, logo_url, refresh_allowed; the others keep
    theirs); the names of the fields that changed."""
    before = _snapshot(client)
    _apply(client, **{**before, **values})
    changed = [name for name, value in _snapshot(client).items() if before[name] != value]
    if changed:
        with transaction.atomic():
            client.application.save()
            client.save()
    return changed


def client_set_enabled(*, client: Client, enabled: bool) -> bool:
    """Whether it changed. A disabled client is unknown to the provider: no authorization,
    no token, no userinfo (federation/validator.py)."""
    changed = Client.objects.filter(pk=client.pk).exclude(enabled=enabled).update(
        enabled=enabled)
    client.enabled = enabled
    return bool(changed)


def client_secret_reset(*, client: Client) -> str:
    """A new secret, in clear, this once; the old one stops working at once."""
    application = client.application
    if application.client_type != Application.CLIENT_CONFIDENTIAL:
        raise ClientRefused("public")
    secret = generate_client_secret()
    application.client_secret = secret
    application.save(update_fields=["client_secret", "updated"])
    return secret


def _apply(client: Client, *, display_name: str, redirect_uris, post_logout_redirect_uris=(),
           allowed_scopes=(), logo_url: str = "", refresh_allowed: bool = False) -> None:
    """Set the client's editable fields, every one checked first."""
    if not display_name.strip():
        raise ClientRefused("no_name")
    redirects = uris_check(redirect_uris, required=True)
    after_logout = uris_check(post_logout_redirect_uris)
    logo = uri_check(logo_url.strip()) if logo_url.strip() else ""
    scopes = _scopes(allowed_scopes)
    application = client.application
    client.display_name = application.name = display_name.strip()[:200]
    application.redirect_uris = " ".join(redirects)
    application.post_logout_redirect_uris = " ".join(after_logout)
    client.allowed_scopes = scopes
    client.logo_url = logo
    client.refresh_allowed = bool(refresh_allowed)
    application.clean()  # the toolkit's own rules; ours above are narrower


def _snapshot(client: Client) -> dict:
    application = client.application
    return {"display_name": client.display_name,
            "redirect_uris": application.redirect_uris.split(),
            "post_logout_redirect_uris": application.post_logout_redirect_uris.split(),
            "allowed_scopes": list(client.allowed_scopes), "logo_url": client.logo_url,
            "refresh_allowed": client.refresh_allowed}
