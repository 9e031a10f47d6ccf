"""Give the bank's questions that are meant for some people only their condition.

"work-fits-skills" ("My work fits what I can do") only makes sense for people with paid work:
ask it only when the answer to "work-status" is "yes" or "yes-own-business". The data is literal
and belongs to this migration; the reverse clears exactly these conditions.
"""

from __future__ import annotations

from django.db import migrations

# Question code -> (code of the question it depends on, the answers to that question that ask it).
CONDITIONS = {
    "work-fits-skills": ("work-status", ["yes", "yes-own-business"]),
}


def seed(apps, schema_editor):
    BankQuestion = apps.get_model("surveys", "BankQuestion")
    for code, (condition_code, values) in CONDITIONS.items():
        BankQuestion.objects.filter(code=code).update(condition_code=condition_code, condition_values=values)


def unseed(apps, schema_editor):
    BankQuestion = apps.get_model("surveys", "BankQuestion")
    BankQuestion.objects.filter(code__in=CONDITIONS).update(condition_code="", condition_values=[])


class Migration(migrations.Migration):
    dependencies = [("surveys", "0005_bank_conditions_and_closed_at")]

    operations = [migrations.RunPython(seed, unseed)]
