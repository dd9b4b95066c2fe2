"""The outside calls' record, under /quan-tri/ket-noi-ngoai/ (operator_console/urls.py)."""

from django.urls import path

from operator_console.connections import views

urlpatterns = [path("", views.connections, name="connections")]
