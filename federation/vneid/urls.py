from django.urls import path

from federation.vneid import views

app_name = "vneid"

# Mounted at /dang-nhap/vneid/ (portal/urls.py).
urlpatterns = [
    path("", views.start, name="start"),
    path("ket-qua/", views.callback, name="callback"),
    path("dang-ky/", views.register, name="register"),
    path("dang-ky/xac-thuc-otp/", views.otp, name="otp"),
    path("dang-ky/gui-lai-otp/", views.resend, name="resend"),
    path("dang-ky/mat-khau/", views.password, name="password"),
]
