from __future__ import annotations

from django.urls import path

from surveys import respond_views as views

urlpatterns = [
    path("s/<token:token>/", views.entry, name="respond_entry"),
    path("answer/", views.start, name="respond_start"),
    path("answer/<int:step>/", views.step, name="respond_step"),
    path("answer/check/", views.review, name="respond_review"),
    path("answer/thanks/", views.thanks, name="respond_thanks"),
    path("answer/again/", views.again, name="respond_again"),
    path("answer/delete/", views.delete, name="respond_delete"),
    path("answer/language/", views.language, name="respond_language"),
    path("accessibility/", views.accessibility, name="respond_accessibility"),
]
