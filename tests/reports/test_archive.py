"""Backing up the stored plans through the storage API, and putting them back."""

import io
import tarfile
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from reports import archive


def empty_storage(settings, tmp_path) -> None:
    """Another folder on disk, or another prefix of the object store."""
    settings.MEDIA_ROOT = tmp_path / "restored"
    if settings.S3_BUCKET:
        default = settings.STORAGES["default"]
        options = {**default["OPTIONS"], "location": f"restored-{uuid.uuid4().hex}"}
        storage = {**default, "OPTIONS": options}
        settings.STORAGES = {**settings.STORAGES, "default": storage}


def test_dump_then_load_into_an_empty_storage_gives_every_plan_back(tmp_path, settings):
    names = ["reports/1/plan-action-v1-a.pdf", "reports/12/plan-action-v3-b.pdf"]
    for n, name in enumerate(names):
        default_storage.save(name, ContentFile(b"%PDF-1.7 " + bytes([65 + n])))
    path = str(tmp_path / "plans.tar.gz")
    out = io.StringIO()
    call_command("archive_plans", "dump", path, stdout=out)
    assert "Archived 2 plans" in out.getvalue()

    empty_storage(settings, tmp_path)
    assert list(archive.stored_names()) == []
    call_command("archive_plans", "load", path, stdout=io.StringIO())
    assert list(archive.stored_names()) == names
    assert default_storage.open(names[1]).read() == b"%PDF-1.7 B"


def test_load_takes_nothing_outside_the_plans_folder(tmp_path, settings):
    path = tmp_path / "hostile.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name in ["healthz/x.txt", "reports/../../etc/x", "reports/1/ok.pdf"]:
            info = tarfile.TarInfo(name)
            info.size = 4
            tar.addfile(info, io.BytesIO(b"%PDF"))
    assert archive.load(str(path)) == 1
    assert list(archive.stored_names()) == ["reports/1/ok.pdf"]
