from __future__ import annotations

from django.urls import path

from reports import views

urlpatterns = [
    path("results/<token:public_id>/", views.public_results, name="public_results"),
]
