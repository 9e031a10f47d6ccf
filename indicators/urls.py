from __future__ import annotations

from django.urls import path

from indicators import views

urlpatterns = [path("framework/", views.framework, name="framework")]
