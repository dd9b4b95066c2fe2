from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render

from portal.metrics import exposition
from portal.readiness import probe_allowed


def home(request):
    return render(request, "portal/home.html")


def terms(request):
    return render(request, "portal/terms.html", {"terms_version": settings.TERMS_VERSION})


def privacy(request):
    return render(request, "portal/privacy.html", {"terms_version": settings.TERMS_VERSION})


def health(request):
    """Liveness plus the database: what a load balancer needs to route around us."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def metrics(request):
    """Prometheus's scrape of this web process (portal/metrics.py); probes only."""
    if not probe_allowed(request):
        raise Http404
    body, content_type = exposition()
    return HttpResponse(body, content_type=content_type)


def server_error(request):
    """The 500 page with the footer's context; it touches neither the session nor the DB."""
    return render(request, "500.html", status=500)
