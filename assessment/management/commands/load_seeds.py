from django.core.management import BaseCommand, call_command

# Loaders in dependency order; each one is idempotent.
LOADERS = ["load_catalog", "load_questionnaire"]


class Command(BaseCommand):
    help = "Load everything under seeds/ (catalogue, questionnaire) idempotently."

    def handle(self, *args, **options):
        for loader in LOADERS:
            call_command(loader, verbosity=options["verbosity"])
