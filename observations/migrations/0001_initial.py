"""Observations: schema."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import integration_mapping.tokens


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("indicators", "0002_seed_framework"),
        ("tenants", "0005_assignment_notes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Observation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "public_id",
                    models.CharField(
                        default=integration_mapping.tokens.new_public_id, editable=False, max_length=20, unique=True
                    ),
                ),
                ("title", models.CharField(max_length=150, verbose_name="title")),
                (
                    "text",
                    models.TextField(
                        validators=[django.core.validators.MaxLengthValidator(5000)],
                        verbose_name="what you saw or heard",
                    ),
                ),
                ("observed_on", models.DateField(verbose_name="date")),
                (
                    "method",
                    models.CharField(
                        choices=[
                            ("interview", "interview"),
                            ("group_conversation", "group conversation"),
                            ("observation", "observation"),
                            ("action_research", "action research"),
                            ("other", "other"),
                        ],
                        max_length=20,
                        verbose_name="method",
                    ),
                ),
                ("organisation_name", models.CharField(max_length=120, verbose_name="organisation")),
                ("in_report", models.BooleanField(default=False, verbose_name="in the printed report")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "author",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "indicators",
                    models.ManyToManyField(
                        related_name="+", to="indicators.indicator", verbose_name="indicators it speaks to"
                    ),
                ),
                (
                    "municipality",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="observations",
                        to="tenants.municipality",
                        verbose_name="municipality",
                    ),
                ),
                (
                    "partner",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="tenants.partnerorganisation",
                        verbose_name="organisation",
                    ),
                ),
            ],
            options={
                "verbose_name": "observation",
                "verbose_name_plural": "observations",
                "ordering": ["-observed_on", "-created_at"],
            },
        ),
    ]
