"""The shared tenant world for tests.

Municipality A has an administrator, an editor and a viewer; partner P is assigned some of A's
indicators; municipality B has its own administrator and must see nothing of A. Everything is
made through the same services the product uses.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from django.apps import apps
from django.test import Client

from indicators.models import Indicator
from surveys import services as survey_services
from surveys.models import Channel, Question, Survey
from surveys.scales import QuestionType, Section
from tenants.models import Municipality, PartnerKind, Partnership, Role, User
from tenants.services import add_member, assign_partner, ensure_user, set_own_indicators

PASSWORD = "a-long-test-password-1"
A_OWN = ["work", "housing", "links"]
P_INDICATORS = ["language-and-communication", "education"]


# Data migrations that seed reference data, as (module, function).
REFERENCE_DATA = [
    ("indicators.migrations.0002_seed_framework", "seed"),
    ("surveys.migrations.0002_seed_question_bank", "seed"),
    ("surveys.migrations.0006_seed_bank_conditions", "seed"),
    ("surveys.migrations.0008_bank_in_seven_languages", "seed"),
]


def reseed_reference_data() -> None:
    """Put the migrations' reference data back after a transactional test has flushed the database.

    The seed functions upsert by stable code, so running them on a full database changes nothing.
    """
    for module, function in REFERENCE_DATA:
        getattr(importlib.import_module(module), function)(apps, None)


@dataclass
class World:
    a: Municipality
    b: Municipality
    a_admin: User
    a_editor: User
    a_viewer: User
    partner_user: User
    partnership: Partnership
    b_admin: User
    nobody: User
    survey: Survey
    channel: Channel

    def client_for(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


def build_world() -> World:
    a = Municipality.objects.create(name="Gemeente A", slug="gemeente-a", vision="Samen verder.")
    b = Municipality.objects.create(name="Gemeente B", slug="gemeente-b", vision="Visie van B.")
    set_own_indicators(municipality=a, codes=A_OWN)
    users = {}
    for role in (Role.ADMINISTRATOR, Role.EDITOR, Role.VIEWER):
        users[role] = ensure_user(username=f"a-{role.value}", password=PASSWORD)
        add_member(municipality=a, user=users[role], role=role)
    partner_user = ensure_user(username="p-member", password=PASSWORD)
    partnership = assign_partner(
        municipality=a,
        partner_name="Partner P",
        kind=PartnerKind.LANGUAGE_SCHOOL,
        indicator_codes=P_INDICATORS,
        members=[partner_user],
    )
    b_admin = ensure_user(username="b-administrator", password=PASSWORD)
    add_member(municipality=b, user=b_admin, role=Role.ADMINISTRATOR)
    survey = build_survey(a)
    channel = survey_services.create_channel(survey=survey, name="via Partner P", partner=partnership.partner)
    return World(
        a=a,
        b=b,
        a_admin=users[Role.ADMINISTRATOR],
        a_editor=users[Role.EDITOR],
        a_viewer=users[Role.VIEWER],
        partner_user=partner_user,
        partnership=partnership,
        b_admin=b_admin,
        nobody=ensure_user(username="nobody", password=PASSWORD),
        survey=survey,
        channel=channel,
    )


def bilingual(nl: str, en: str) -> dict[str, str]:
    return {"nl": nl, "en": en}


def build_survey(municipality: Municipality) -> Survey:
    """A small, fully translated draft (Dutch and English) with a conditional question.

    Work: "has work" (one choice) -> "fits skills" only for those with work; "feel lonely" (Bonds,
    reverse scored); a background question and an open question.
    """
    survey = survey_services.create_survey(
        municipality=municipality,
        title="Hoe gaat het?",
        wave_label="Voorjaar 2027",
        base_language="nl",
        languages=["nl", "en"],
        indicators=Indicator.objects.filter(code__in=["work", "bonds"]),
        add_suggested=False,
    )
    survey.title = bilingual("Hoe gaat het?", "How are you doing?")
    survey.introduction = bilingual("Welkom.", "Welcome.")
    survey.save()
    work = Indicator.objects.get(code="work")
    has_work = survey_services.add_own_question(
        survey=survey,
        section=Section.INDICATOR,
        indicator=work,
        type=QuestionType.SINGLE,
        text=bilingual("Heb je betaald werk?", "Do you have paid work?"),
        options=[
            {"value": "yes", "label": bilingual("Ja", "Yes")},
            {"value": "no", "label": bilingual("Nee", "No")},
        ],
        required=True,
    )
    survey_services.add_own_question(
        survey=survey,
        section=Section.INDICATOR,
        indicator=work,
        type=QuestionType.AGREEMENT,
        text=bilingual("Mijn werk past bij wat ik kan.", "My work fits what I can do."),
        condition_question=has_work,
        condition_values=["yes"],
    )
    survey_services.add_own_question(
        survey=survey,
        section=Section.INDICATOR,
        indicator=Indicator.objects.get(code="bonds"),
        type=QuestionType.AGREEMENT,
        text=bilingual("Ik voel me vaak alleen.", "I often feel alone."),
        reverse_scored=True,
    )
    survey_services.add_own_question(
        survey=survey,
        section=Section.BACKGROUND,
        type=QuestionType.SINGLE,
        text=bilingual("Hoe oud ben je?", "How old are you?"),
        options=[
            {"value": "18-35", "label": bilingual("18 tot 35", "18 to 35")},
            {"value": "36-plus", "label": bilingual("36 of ouder", "36 or older")},
        ],
    )
    survey_services.add_own_question(
        survey=survey,
        section=Section.OPEN,
        type=QuestionType.LONG_TEXT,
        text=bilingual("Waar sta je nu, en waar wil je naartoe?", "Where are you now, and where do you want to go?"),
    )
    return survey


def add_education_question(survey: Survey) -> Question:
    """Partner P's indicator Education, with one scored statement, added to ``survey``."""
    education = Indicator.objects.get(code="education")
    survey.indicators.add(education)
    return survey_services.add_own_question(
        survey=survey,
        section=Section.INDICATOR,
        indicator=education,
        type=QuestionType.AGREEMENT,
        text=bilingual("Ik kan hier leren wat ik wil.", "I can learn what I want here."),
    )


def question(survey: Survey, text_en: str) -> Question:
    return next(q for q in survey.questions.all() if q.text_in("en") == text_en)
