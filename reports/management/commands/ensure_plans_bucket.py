"""Create the object store's bucket for the PDF plans if it is missing (docker-compose)."""

from botocore.exceptions import ClientError
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the S3 bucket of the PDF plans (S3_BUCKET) when it does not exist."

    def handle(self, *args, **options):
        if not settings.S3_BUCKET:
            self.stdout.write("No S3_BUCKET: the plans are kept on the local disk.")
            return
        client = default_storage.connection.meta.client
        try:
            client.head_bucket(Bucket=settings.S3_BUCKET)
            self.stdout.write(f"Bucket {settings.S3_BUCKET} is there.")
        except ClientError:
            client.create_bucket(Bucket=settings.S3_BUCKET)
            self.stdout.write(f"Bucket {settings.S3_BUCKET} created.")
