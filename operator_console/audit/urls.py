"""The audit trail's pages, under /quan-tri/nhat-ky/ (operator_console/urls.py)."""

from django.urls import path

from operator_console.audit import views

urlpatterns = [
    path("", views.audit_list, name="audit"),
    path("tai-xuong.csv", views.audit_csv, name="audit_csv"),
]
