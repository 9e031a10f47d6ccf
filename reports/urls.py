from __future__ import annotations

from django.urls import path

from reports import coverage_views, export_views, views, workspace_views

survey = "m/<slug:slug>/surveys/<token:public_id>/"

urlpatterns = [
    path(survey + "results/", views.dashboard, name="results"),
    path(survey + "results.json", views.results_json, name="results_json"),
    path(survey + "results/<slug:code>/", views.indicator_page, name="results_indicator"),
    path(survey + "references/", views.references, name="results_references"),
    path(survey + "results.csv", export_views.results_file, {"file_format": "csv"}, name="results_csv"),
    path(survey + "results.xlsx", export_views.results_file, {"file_format": "xlsx"}, name="results_xlsx"),
    path(survey + "answers.csv", export_views.answers_csv, name="answers_csv"),
    path(survey + "answers.xlsx", export_views.answers_xlsx, name="answers_xlsx"),
    path(survey + "exports/", export_views.export_list, name="export_list"),
    path(survey + "exports/new/", export_views.export_start, name="export_start"),
    path(survey + "exports/<token:export_id>/", export_views.export_detail, name="export_detail"),
    path(survey + "exports/<token:export_id>/retry/", export_views.export_retry, name="export_retry"),
    path(survey + "exports/<token:export_id>/download/", export_views.export_download, name="export_download"),
    path(survey + "report/", views.report, name="results_report"),
    path("results/<token:public_id>/", views.public_results, name="public_results"),
    path("m/<slug:slug>/coverage/", coverage_views.coverage_map, name="coverage"),
    path("m/<slug:slug>/workspace/", workspace_views.partner_workspace, name="partner_workspace"),
]
