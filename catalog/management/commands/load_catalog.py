from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog.loading import CatalogLoadError, default_seed_dir, load_catalog


class Command(BaseCommand):
    help = (
        "Load the catalogue from seeds/catalog/ (idempotent: records are created "
        "or updated by natural key, citations replaced). All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory",
            type=Path,
            default=None,
            help=f"Seed directory (default: {default_seed_dir()}).",
        )

    def handle(self, *args, directory=None, **options):
        try:
            counts = load_catalog(directory)
        except CatalogLoadError as error:
            raise CommandError(
                f"Catalogue not loaded, nothing changed: {error}"
            ) from error
        for file_name, count in counts.items():
            self.stdout.write(
                f"{file_name}: {count.created} created, {count.updated} updated"
            )
        self.stdout.write(self.style.SUCCESS("Catalogue loaded."))
