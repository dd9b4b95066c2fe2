from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import include, path
from django.utils.http import urlencode

from portal import views


def admin_login(request, extra_context=None):
    """The admin has no password-only door: it sends people to the portal's login."""
    target = request.GET.get("next", "/quan-tri-he-thong/")
    return redirect("/dang-nhap/?" + urlencode({"next": target}))


admin.site.login = admin_login

urlpatterns = [
    path("", views.home, name="home"),
    path("dieu-khoan/", views.terms, name="terms"),
    path("chinh-sach-chia-se-thong-tin/", views.privacy, name="privacy"),
    path("health/", views.health, name="health"),
    path("captcha/", include("captcha.urls")),
    path("", include("accounts.urls")),
    path("quan-tri/", include("operator_console.urls")),
    path("quan-tri-he-thong/", admin.site.urls),
]
if settings.DEV_PAGES:  # never routed, nor imported, on a production site
    urlpatterns.append(path("dev/", include("portal.dev_urls")))
handler500 = "portal.views.server_error"
