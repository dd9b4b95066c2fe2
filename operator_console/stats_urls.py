from django.urls import path

from operator_console import stats_views

urlpatterns = [
    path("", stats_views.stats, name="stats"),
]
