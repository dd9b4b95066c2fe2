"""The console, under /quan-tri/: each part mounts its own pages. The parts' URL names stay
in the one `operator_console` namespace (operator_console:records, :staff, :audit, …)."""

from django.urls import include, path
from django.views.generic import RedirectView

app_name = "operator_console"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="operator_console:records"), name="home"),
    path("tao-tai-khoan-cong-dan/", include("operator_console.counter.urls")),
    path("", include("operator_console.administration.urls")),
    path("nhat-ky/", include("operator_console.audit.urls")),
    path("thong-ke/", include("operator_console.stats.urls")),
    path("cong-ket-noi/", include("operator_console.clients.urls")),
    path("ket-noi-ngoai/", include("operator_console.connections.urls")),
]
