"""Record the scores of submitted diagnostics that have none (after an upgrade)."""

from django.core.management.base import BaseCommand

from assessment.models import Assessment
from assessment.results import record_outcome


class Command(BaseCommand):
    help = "Record the outcome of every submitted diagnostic that lacks one."

    def handle(self, *args, **options):
        missing = Assessment.objects.submitted().filter(outcome__isnull=True)
        count = 0
        for assessment in missing.iterator():
            record_outcome(assessment)
            count += 1
        self.stdout.write(f"{count} outcome(s) recorded.")
