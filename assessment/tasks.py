"""Celery task of the diagnostic: the follow-up reminders, run daily by beat."""

from __future__ import annotations

from celery import shared_task

from . import followup


@shared_task(name="assessment.send_reminders", ignore_result=True)
def send_reminders() -> int:
    return followup.send_reminders()
