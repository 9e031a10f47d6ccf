"""Fill the stored indicator scores for the responses completed before they existed.

Each completed respondent's score per indicator is the mean of their scored answers in it, the
same rule as ``surveys.services.store_indicator_scores`` at the final submit. The database
aggregates; rows are written in batches, so a large survey is not held in memory at once.
"""

from django.db import migrations
from django.db.models import Avg

BATCH = 5000


def fill(apps, schema_editor):
    Answer = apps.get_model("surveys", "Answer")
    IndicatorScore = apps.get_model("surveys", "IndicatorScore")
    means = (
        Answer.objects.filter(response__status="completed", indicator__isnull=False, score__isnull=False)
        .values("response_id", "survey_id", "indicator_id")
        .annotate(mean=Avg("score"))
        .order_by()
        .values_list("response_id", "survey_id", "indicator_id", "mean")
    )
    batch = []
    for response_id, survey_id, indicator_id, mean in means.iterator(chunk_size=BATCH):
        batch.append(
            IndicatorScore(response_id=response_id, survey_id=survey_id, indicator_id=indicator_id, score=mean)
        )
        if len(batch) == BATCH:
            IndicatorScore.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    IndicatorScore.objects.bulk_create(batch, ignore_conflicts=True)


def empty(apps, schema_editor):
    apps.get_model("surveys", "IndicatorScore").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0003_indicator_scores")]

    operations = [migrations.RunPython(fill, empty)]
