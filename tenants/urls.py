from __future__ import annotations

from django.urls import path

from tenants import views

urlpatterns = [
    path("", views.home, name="home"),
    path("m/<slug:slug>/", views.municipality_home, name="municipality"),
    path("m/<slug:slug>/vision/", views.edit_vision, name="edit_vision"),
]
