"""The clients' pages, under /quan-tri/cong-ket-noi/ (operator_console/urls.py)."""

from django.urls import path

from operator_console.clients import views

urlpatterns = [
    path("", views.clients, name="clients"),
    path("dang-ky/", views.client_new, name="client_new"),
    path("<int:client_id>/", views.client_edit, name="client_edit"),
    path("<int:client_id>/bat-tat/", views.client_switch, name="client_switch"),
    path("<int:client_id>/khoa-bi-mat/", views.client_secret, name="client_secret"),
]
