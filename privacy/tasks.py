"""Celery task for the retention rules: run nightly by beat."""

from __future__ import annotations

from celery import shared_task

from . import retention


@shared_task(name="privacy.apply_retention", ignore_result=True)
def apply_retention() -> dict[str, int]:
    return retention.apply_retention()
