"""Generate realistic shared cases in bulk: `manage.py generate_cases --count 100000`."""

from django.core.management.base import BaseCommand, CommandError

from advisors.generation import generate
from assessment.models import Questionnaire


class Command(BaseCommand):
    help = "Create submitted diagnostics shared with organisations (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100_000)
        parser.add_argument("--organisations", type=int, default=5)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--batch", type=int, default=5000)

    def handle(self, *args, count, organisations, seed, batch, **options):
        if count < 1 or organisations < 1 or batch < 1:
            raise CommandError("--count, --organisations and --batch must be ≥ 1.")

        def progress(done, total, seconds):
            self.stdout.write(f"{done}/{total} cases, {seconds:.1f} s")

        try:
            made = generate(
                count, organisations=organisations, seed=seed, batch=batch,
                progress=progress if options["verbosity"] else None,
            )  # fmt: skip
        except Questionnaire.DoesNotExist as error:
            raise CommandError(
                f"No questionnaire: run `manage.py load_seeds` first ({error})."
            ) from None
        self.stdout.write(
            f"{made.cases} cases for {made.organisations} organisations "
            f"({made.advisors} advisors) in {made.seconds:.1f} s."
        )
