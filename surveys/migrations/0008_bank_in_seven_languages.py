"""The question bank in all seven newcomer languages, at language level A2.

Every bank question, explanation and option gets Dutch, English, Arabic, Ukrainian, Tigrinya,
Farsi and Turkish texts; the hardest items are rewritten in plainer words in every language.
The questions that are not about everyone (e.g. "my diplomas count here") offer "does not apply
to me". Only the Dutch texts are checked; the others start unchecked in every survey that copies
them (``surveys.bank``).

The data is literal and belongs to this migration: it is the JSON file of the same name next to
this module. The reverse writes back the texts of 0002 (Dutch, English and Arabic).
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

from django.db import migrations

DATA = json.loads(Path(__file__).with_suffix(".json").read_text(encoding="utf-8"))


def seed(apps, schema_editor):
    BankQuestion = apps.get_model("surveys", "BankQuestion")
    not_applicable = set(DATA["not_applicable"])
    for question in BankQuestion.objects.filter(code__in=DATA["bank"]):
        texts = DATA["bank"][question.code]
        question.text = texts["text"]
        question.help = texts.get("help", {})
        labels = texts.get("options", {})
        question.options = [
            {**option, "label": labels.get(option["value"], option["label"])} for option in question.options
        ]
        question.allow_not_applicable = question.code in not_applicable
        question.save(update_fields=["text", "help", "options", "allow_not_applicable"])


def unseed(apps, schema_editor):
    """The texts of 0002 back on the questions that are there (a test database may be empty)."""
    BankQuestion = apps.get_model("surveys", "BankQuestion")
    earlier = importlib.import_module("surveys.migrations.0002_seed_question_bank")
    for _section, _indicator, _position, row in earlier._rows():
        BankQuestion.objects.filter(code=row["code"]).update(
            text=earlier._texts(row["text"]),
            help=earlier._texts(row["help"]) if "help" in row else {},
            options=[{"value": value, "label": earlier._texts(labels)} for value, labels in row.get("options", [])],
        )
    BankQuestion.objects.update(allow_not_applicable=False)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0007_reaching_every_newcomer")]

    operations = [migrations.RunPython(seed, unseed)]
