"""The statistics page, under /quan-tri/thong-ke/ (operator_console/urls.py)."""

from django.urls import path

from operator_console.stats import views

urlpatterns = [
    path("", views.stats, name="stats"),
]
