"""Back up or restore the stored PDF plans (disk or object store): see README."""

from django.core.management.base import BaseCommand

from reports import archive


class Command(BaseCommand):
    help = "Write every stored PDF plan into a tar.gz (dump), or put them back (load)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["dump", "load"])
        parser.add_argument("path", help="the .tar.gz archive")

    def handle(self, *args, action, path, **options):
        count = getattr(archive, action)(path)
        verb = "Archived" if action == "dump" else "Restored"
        self.stdout.write(f"{verb} {count} plans ({path}).")
