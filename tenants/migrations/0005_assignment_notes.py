"""The assigned indicators move to PartnerAssignment (filled in 0004), which carries a note per
indicator. Django cannot add ``through`` to an existing many-to-many field, so the plain field is
removed and added again with it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0002_seed_framework"),
        ("tenants", "0004_fill_people_partners_vision"),
    ]

    operations = [
        migrations.RemoveField(model_name="partnership", name="indicators"),
        migrations.AddField(
            model_name="partnership",
            name="indicators",
            field=models.ManyToManyField(
                blank=True,
                related_name="+",
                through="tenants.PartnerAssignment",
                to="indicators.indicator",
                verbose_name="assigned indicators",
            ),
        ),
    ]
