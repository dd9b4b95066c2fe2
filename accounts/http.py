"""What the portal knows of the client from the request."""

from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme


def client_ip(request) -> str:
    """The client's address, for the per-address caps.

    Behind proxies (`TRUSTED_PROXY_COUNT` = how many of ours sit in front of the portal),
    each appends the address it received from to X-Forwarded-For; the entry added by the
    outermost of ours is the client as far as we can trust. Entries further left are
    whatever the client wrote, so they are never used.
    """
    hops = settings.TRUSTED_PROXY_COUNT
    if hops:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")


def page_origin(request) -> str:
    """The origin the browser is on ("http://localhost:8000"), from the Host header that
    ALLOWED_HOSTS has already checked."""
    return request.build_absolute_uri("/").rstrip("/")


def next_path(request) -> str:
    """Where to go after login (`?next=`): a path on this site only, never an outside
    address; "" when there is none."""
    target = request.GET.get("next", "")
    if (len(target) <= NEXT_MAX and target.startswith("/")
            and url_has_allowed_host_and_scheme(target, allowed_hosts=None)):
        return target
    return ""


NEXT_MAX = 200  # SignatureRequest.next_url; a longer one is no page of this portal
