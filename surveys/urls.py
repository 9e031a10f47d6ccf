from __future__ import annotations

from django.urls import path

from surveys import interview_views, paper_views, translation_views, views

survey = "m/<slug:slug>/surveys/<token:public_id>/"

urlpatterns = [
    path("m/<slug:slug>/surveys/", views.survey_list, name="survey_list"),
    path("m/<slug:slug>/surveys/new/", views.survey_create, name="survey_create"),
    path(survey, views.survey_detail, name="survey"),
    path(survey + "settings/", views.survey_settings, name="survey_settings"),
    path(survey + "action/<slug:action>/", views.survey_action, name="survey_action"),
    path(survey + "copy/", views.survey_copy, name="survey_copy"),
    path(survey + "questions/from-bank/", views.question_add_from_bank, name="question_add_from_bank"),
    path(survey + "questions/new/<slug:section>/", views.question_add, name="question_add"),
    path(survey + "questions/<slug:code>/", views.question_edit, name="question_edit"),
    path(survey + "questions/<slug:code>/move/", views.question_move, name="question_move"),
    path(survey + "questions/<slug:code>/remove/", views.question_remove, name="question_remove"),
    path(survey + "translations/", views.survey_translations, name="survey_translations"),
    path(survey + "texts/<slug:language>/", views.survey_texts, name="survey_texts"),
    path(survey + "texts/<slug:language>/file.xlsx", translation_views.texts_download, name="survey_texts_download"),
    path(survey + "texts/<slug:language>/upload/", translation_views.texts_upload, name="survey_texts_upload"),
    path(survey + "preview/<slug:language>/", views.survey_preview, name="survey_preview"),
    path(survey + "paper/<slug:language>/", paper_views.paper_questionnaire, name="survey_paper"),
    path(survey + "interview/", interview_views.interview_start, name="survey_interview"),
    path(survey + "links/", views.channel_list, name="channel_list"),
    path(survey + "invitations/", views.invitation_list, name="invitation_list"),
    path(survey + "invitations/<token:batch_id>/toggle/", views.batch_toggle, name="batch_toggle"),
    path("m/<slug:slug>/links/", views.partner_links, name="partner_links"),
    path("m/<slug:slug>/links/<token:channel_id>/toggle/", views.channel_toggle, name="channel_toggle"),
    path("m/<slug:slug>/links/<token:channel_id>/qr.<slug:kind>", views.channel_qr, name="channel_qr"),
    path("m/<slug:slug>/links/<token:channel_id>/poster/", views.channel_poster, name="channel_poster"),
]
