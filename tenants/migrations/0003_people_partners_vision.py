"""People, partners and the vision managed in the app: schema. Data follows in 0004, the
assignment notes in 0005."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import integration_mapping.tokens


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0002_seed_framework"),
        ("tenants", "0002_auditevent"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="auditevent",
            options={
                "ordering": ["-created_at", "-pk"],
                "verbose_name": "audit record",
                "verbose_name_plural": "audit log",
            },
        ),
        migrations.AddField(
            model_name="auditevent",
            name="actor_name",
            field=models.CharField(blank=True, max_length=150, verbose_name="who"),
        ),
        migrations.AddField(
            model_name="partnerorganisation",
            name="public_id",
            field=models.CharField(editable=False, max_length=20, null=True),
        ),
        migrations.AddField(
            model_name="partnership",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="partnership",
            name="ended_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="ended"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("export", "export"),
                    ("publish", "survey published"),
                    ("close", "survey closed"),
                    ("reopen", "survey reopened"),
                    ("member_add", "member added"),
                    ("role_change", "role changed"),
                    ("member_remove", "member removed"),
                    ("partner_add", "partnership started"),
                    ("partner_end", "partnership ended"),
                    ("assignment_change", "indicators assigned"),
                    ("invitation_send", "invitation sent"),
                    ("invitation_accept", "invitation accepted"),
                    ("invitation_withdraw", "invitation withdrawn"),
                    ("vision_edit", "vision edited"),
                    ("observation_delete", "observation deleted"),
                ],
                max_length=30,
                verbose_name="what",
            ),
        ),
        migrations.CreateModel(
            name="VisionVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("statement", models.TextField(verbose_name="our vision in a few sentences")),
                (
                    "answers",
                    models.JSONField(blank=True, default=dict, verbose_name="answers to the guiding questions"),
                ),
                ("written_by_name", models.CharField(blank=True, max_length=150)),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="written")),
                (
                    "municipality",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="vision_versions",
                        to="tenants.municipality",
                        verbose_name="municipality",
                    ),
                ),
                (
                    "written_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "version of the vision",
                "verbose_name_plural": "versions of the vision",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="PartnerAssignment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "note",
                    models.CharField(
                        blank=True,
                        help_text="For example: language classes at level A1 to B1, twice a week.",
                        max_length=300,
                        verbose_name="what the partner does for it",
                    ),
                ),
                (
                    "indicator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="indicators.indicator"
                    ),
                ),
                (
                    "partnership",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="assignments",
                        to="tenants.partnership",
                    ),
                ),
            ],
            options={
                "verbose_name": "assigned indicator",
                "verbose_name_plural": "assigned indicators",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("partnership", "indicator"), name="partner_assignment_one_per_partnership_and_indicator"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="StaffInvitation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "public_id",
                    models.CharField(
                        default=integration_mapping.tokens.new_public_id, editable=False, max_length=20, unique=True
                    ),
                ),
                ("email", models.EmailField(max_length=254, verbose_name="e-mail address")),
                (
                    "role",
                    models.CharField(
                        blank=True,
                        choices=[("administrator", "administrator"), ("editor", "editor"), ("viewer", "viewer")],
                        max_length=20,
                        verbose_name="role",
                    ),
                ),
                ("token_hash", models.CharField(editable=False, max_length=64, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("sent_at", models.DateTimeField(verbose_name="sent")),
                ("expires_at", models.DateTimeField(verbose_name="expires")),
                ("accepted_at", models.DateTimeField(blank=True, null=True)),
                ("withdrawn_at", models.DateTimeField(blank=True, null=True)),
                (
                    "accepted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "invited_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "municipality",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="staff_invitations",
                        to="tenants.municipality",
                        verbose_name="municipality",
                    ),
                ),
                (
                    "partner",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="invitations",
                        to="tenants.partnerorganisation",
                        verbose_name="partner organisation",
                    ),
                ),
            ],
            options={
                "verbose_name": "invitation",
                "verbose_name_plural": "invitations",
                "ordering": ["-sent_at"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("partner__isnull", True), models.Q(("role", ""), _negated=True)),
                            models.Q(("partner__isnull", False), ("role", "")),
                            _connector="OR",
                        ),
                        name="staff_invitation_role_or_partner",
                    )
                ],
            },
        ),
    ]
