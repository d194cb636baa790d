"""The statistics pages, included by `advisors.urls` under its namespace."""

from django.urls import path

from . import stats_views

urlpatterns = [
    path("statistiques/", stats_views.stats, name="stats"),
    path("statistiques.csv", stats_views.stats_csv, name="stats_csv"),
]
