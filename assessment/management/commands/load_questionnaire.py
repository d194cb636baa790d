from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError

from assessment.questionnaire import SeedError, load_seed_file


class Command(BaseCommand):
    help = "Load seeds/questionnaire.json as a questionnaire version (idempotent)."

    def handle(self, *args, **options):
        try:
            questionnaire, created = load_seed_file()
        except (SeedError, ValidationError, KeyError) as exc:
            raise CommandError(f"questionnaire not loaded: {exc}") from exc
        state = "loaded" if created else "already up to date"
        self.stdout.write(f"Questionnaire v{questionnaire.version}: {state}")
