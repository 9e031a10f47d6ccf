"""Fill what 0003 added: a public id per partner organisation, the assignments with an empty note,
the current vision as its first version, and the readable name of who did each audited act."""

from django.db import migrations, models

import integration_mapping.tokens


def fill(apps, schema_editor):
    PartnerOrganisation = apps.get_model("tenants", "PartnerOrganisation")
    Partnership = apps.get_model("tenants", "Partnership")
    PartnerAssignment = apps.get_model("tenants", "PartnerAssignment")
    Municipality = apps.get_model("tenants", "Municipality")
    VisionVersion = apps.get_model("tenants", "VisionVersion")
    AuditEvent = apps.get_model("tenants", "AuditEvent")
    for partner in PartnerOrganisation.objects.filter(public_id__isnull=True):
        partner.public_id = integration_mapping.tokens.new_public_id()
        partner.save(update_fields=["public_id"])
    PartnerAssignment.objects.bulk_create(
        [
            PartnerAssignment(partnership_id=row.partnership_id, indicator_id=row.indicator_id)
            for row in Partnership.indicators.through.objects.all()
        ],
        ignore_conflicts=True,
    )
    for municipality in Municipality.objects.exclude(vision="").filter(vision_versions__isnull=True):
        VisionVersion.objects.create(municipality=municipality, statement=municipality.vision)
    for event in AuditEvent.objects.filter(actor__isnull=False, actor_name=""):
        event.actor_name = event.actor.get_full_name() or event.actor.username
        event.save(update_fields=["actor_name"])


def unfill(apps, schema_editor):
    """Put the assignments back into the plain table; the rest goes with 0003's reverse."""
    Partnership = apps.get_model("tenants", "Partnership")
    PartnerAssignment = apps.get_model("tenants", "PartnerAssignment")
    Partnership.indicators.through.objects.bulk_create(
        [
            Partnership.indicators.through(partnership_id=row.partnership_id, indicator_id=row.indicator_id)
            for row in PartnerAssignment.objects.all()
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0003_people_partners_vision"),
    ]

    operations = [
        migrations.RunPython(fill, unfill),
        migrations.AlterField(
            model_name="partnerorganisation",
            name="public_id",
            field=models.CharField(
                default=integration_mapping.tokens.new_public_id, editable=False, max_length=20, unique=True
            ),
        ),
    ]
