from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from portal import views
from portal.language import language_choose
from portal.readiness import readiness

urlpatterns = [
    path("", views.home, name="home"),
    path("dieu-khoan/", views.terms, name="terms"),
    path("chinh-sach-chia-se-thong-tin/", views.privacy, name="privacy"),
    path("health/", views.health, name="health"),  # liveness
    path("health/ready/", readiness, name="readiness"),  # readiness: portal/readiness.py
    path("metrics/", views.metrics, name="metrics"),  # Prometheus: portal/metrics.py
    path("ngon-ngu/<str:code>/", language_choose, name="language"),  # the header's switch
    path("captcha/", include("accounts.views.captcha")),  # picture codes: captcha_keys.py
    path("dang-nhap/vneid/", include("federation.vneid.urls")),
    path("", include("accounts.urls")),
    path("", include("federation.urls")),  # /oidc/…, discovery, "Ứng dụng được chia sẻ"
    path("quan-tri/", include("operator_console.urls")),
    path("quan-tri-he-thong/", admin.site.urls),
]
if settings.DEV_PAGES:  # never routed, nor imported, on a production site
    urlpatterns.append(path("dev/", include("portal.dev_urls")))
handler500 = "portal.views.server_error"
