"""E-mails of the diagnostic: the private resume link."""

from __future__ import annotations

import logging
import smtplib

from django.core.mail import send_mail
from django.template.loader import render_to_string

from .models import Assessment

logger = logging.getLogger(__name__)


def send_resume_link(assessment: Assessment, *, url: str, to: str) -> bool:
    """Send the private link to `to`; False when the mail server refused it."""
    context = {"assessment": assessment, "url": url}
    subject = render_to_string("assessment/email/resume_link_subject.txt", context)
    body = render_to_string("assessment/email/resume_link.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [to])
    except (OSError, smtplib.SMTPException):
        # The link itself stays on screen: the owner can still copy it.
        logger.exception("resume link e-mail for assessment %s failed", assessment.pk)
        return False
    return True
