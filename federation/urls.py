"""The provider's addresses: the standard ones under /oidc/ (integrators read them from
discovery), the person's pages in Vietnamese."""

from django.urls import path
from oauth2_provider.views import JwksInfoView, RevokeTokenView, UserInfoView

from federation import endpoints, shared, views

app_name = "federation"

urlpatterns = [
    path(".well-known/openid-configuration", endpoints.discovery, name="discovery"),
    path("oidc/authorize/", views.authorize, name="authorize"),
    path("oidc/tiep-tuc/<slug:pending_id>/", views.resume, name="resume"),
    path("oidc/token/", endpoints.token, name="token"),
    path("oidc/userinfo/", UserInfoView.as_view(), name="userinfo"),
    path("oidc/jwks/", JwksInfoView.as_view(), name="jwks"),
    path("oidc/revoke/", RevokeTokenView.as_view(), name="revoke"),
    path("oidc/logout/", endpoints.LogoutView.as_view(), name="logout"),
    path("trang-ca-nhan/ung-dung-duoc-chia-se/", shared.shared, name="shared"),
    path("trang-ca-nhan/ung-dung-duoc-chia-se/<int:consent_id>/rut-lai/", shared.withdraw,
         name="withdraw"),
]
