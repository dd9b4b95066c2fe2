from django.urls import path

from operator_console import audit_views

urlpatterns = [
    path("", audit_views.audit_list, name="audit"),
    path("tai-xuong.csv", audit_views.audit_csv, name="audit_csv"),
]
