"""Development pages of the sandbox, mounted under /dev/ with DEV_PAGES only."""

from django.urls import path

from sandbox import views

app_name = "sandbox"

urlpatterns = [
    path("dien-thoai/", views.phone, name="phone"),
]
