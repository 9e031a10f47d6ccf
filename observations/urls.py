from __future__ import annotations

from django.urls import path

from observations import views

observations = "m/<slug:slug>/observations/"

urlpatterns = [
    path(observations, views.observation_list, name="observation_list"),
    path(observations + "new/", views.observation_create, name="observation_create"),
    path(observations + "<token:public_id>/edit/", views.observation_edit, name="observation_edit"),
    path(observations + "<token:public_id>/delete/", views.observation_delete, name="observation_delete"),
    path(observations + "<token:public_id>/report/", views.observation_report, name="observation_report"),
]
