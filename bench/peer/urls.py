from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.views.generic import TemplateView

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    # Where a login leads (LOGIN_REDIRECT_URL): a small page for the logged-in person.
    path("welcome/", login_required(TemplateView.as_view(template_name="welcome.html"))),
]
