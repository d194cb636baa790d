"""Backing up and restoring the stored PDF plans, wherever the storage keeps them.

Through Django's storage API, so the same archive comes from the local disk
(`make run`) or from the S3 object store (several machines), and goes back to
either: a tar.gz of the plans under their storage names.
"""

from __future__ import annotations

import io
import tarfile
from collections.abc import Iterator

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage

# Where Report.filename puts every plan.
TOP = "reports"


def stored_names(storage: Storage = default_storage, top: str = TOP) -> Iterator[str]:
    """Every file name under `top`, folders walked (an object store lists prefixes)."""
    try:
        folders, files = storage.listdir(top)
    except FileNotFoundError:  # nothing stored yet on this disk
        return
    yield from (f"{top}/{name}" for name in sorted(files))
    for folder in sorted(folders):
        yield from stored_names(storage, f"{top}/{folder}")


def dump(path: str, storage: Storage = default_storage) -> int:
    """Write every stored plan into a tar.gz at `path`; return how many."""
    count = 0
    with tarfile.open(path, "w:gz") as archive:
        for name in stored_names(storage):
            with storage.open(name, "rb") as stored:
                data = stored.read()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            count += 1
    return count


def load(path: str, storage: Storage = default_storage) -> int:
    """Put back the plans of an archive under their names; return how many."""
    count = 0
    with tarfile.open(path, "r:gz") as archive:
        for member in archive:
            if not member.isfile() or not member.name.startswith(f"{TOP}/"):
                continue  # nothing but plans, and nothing outside their folder
            if ".." in member.name.split("/"):
                continue
            data = archive.extractfile(member).read()
            if storage.exists(member.name):
                storage.delete(member.name)
            storage.save(member.name, ContentFile(data))
            count += 1
    return count
