from __future__ import annotations

from django.urls import path

from reports import views

survey = "m/<slug:slug>/surveys/<token:public_id>/"

urlpatterns = [
    path(survey + "results/", views.dashboard, name="results"),
    path(survey + "results.json", views.results_json, name="results_json"),
    path(survey + "results/<slug:code>/", views.indicator_page, name="results_indicator"),
    path(survey + "references/", views.references, name="results_references"),
    path("results/<token:public_id>/", views.public_results, name="public_results"),
]
