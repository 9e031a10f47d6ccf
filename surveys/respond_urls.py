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
    # Last: any other address under the newcomer's prefixes is a wrong link, answered in the newcomer's
    # frame and language rather than with the staff's 404. Only addresses ending in "/", so that
    # APPEND_SLASH still sends "/answer/check" to "/answer/check/".
    path("s/<path:rest>/", views.unknown),
    path("answer/<path:rest>/", views.unknown),
]
