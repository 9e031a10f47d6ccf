"""Retention by hand: freeze the results and delete the raw answers of surveys past their retention
period (what the worker's daily ``reports.retention.apply_retention`` task does)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from reports import retention
from surveys.models import Survey, SurveyState


class Command(BaseCommand):
    help = "Freeze the results and delete the raw answers of surveys past their retention period."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only list the surveys that are due.")
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            help="Decide what is due as on this day (YYYY-MM-DD), e.g. to look ahead.",
        )
        parser.add_argument(
            "--survey",
            metavar="ID",
            help="Freeze and delete this closed survey now (its public id, as in its address), before its period ends.",
        )
        parser.add_argument(
            "--schedule", action="store_true", help="Only make sure the worker's daily run is waiting, and stop."
        )

    def handle(self, *args, dry_run: bool, today: date | None, survey: str | None, schedule: bool, **options) -> None:
        if schedule:
            added = retention.schedule()
            self.stdout.write("Daily retention run scheduled." if added else "Daily retention run already waiting.")
            return
        if survey:
            found = Survey.objects.select_related("municipality").filter(public_id=survey).first()
            if found is None:
                raise CommandError(f"No survey with id {survey!r}.")
            if found.state().state != SurveyState.CLOSED:
                raise CommandError(f"{found} has not closed: an open survey keeps its raw answers.")
            surveys = [found]
        else:
            surveys = retention.due(today)
        for item in surveys:
            verb = "due" if dry_run else "frozen, raw answers deleted"
            if not dry_run:
                retention.freeze_and_delete(item)
            self.stdout.write(f"{item.public_id}  {item.municipality.name}  {item}: {verb}")
        if not surveys:
            self.stdout.write("No survey is due.")
