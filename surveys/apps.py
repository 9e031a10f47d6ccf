from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from django.db.models import fields

        # The empty choice of select boxes (Django 6.1's BLANK_CHOICE_LABEL) has no Dutch
        # translation in Django itself; this msgid puts it in our catalogues, where it has one.
        fields.BLANK_CHOICE_LABEL = _("- Select an option -")
