"""The employee pulse's rows: one shared link per diagnostic, anonymous answers.

The tables kept the names they had when the pulse lived in the diagnostic app
(`db_table`), so moving the code moved no data.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.models import Assessment, hash_token, new_token


class PulseInvitationQuerySet(models.QuerySet):
    def with_token(self, token: str):
        return self.filter(token_hash=hash_token(token))


class PulseInvitation(models.Model):
    """The shared link through which a company's employees answer the pulse.

    One per diagnostic; the link token is only ever stored hashed. A new link
    replaces the old one and keeps the answers already given.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("ouvert")
        CLOSED = "closed", _("clos")

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="pulse_invitation"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = PulseInvitationQuerySet.as_manager()

    class Meta:
        db_table = "assessment_pulseinvitation"
        verbose_name = _("invitation au pouls des salariés")

    def __str__(self):
        return f"{self.assessment} ({self.get_status_display()})"

    def set_new_token(self) -> str:
        """Give the link a fresh token; return it (shown only once)."""
        token, self.token_hash = new_token(24)  # shorter: it goes in a shared link
        return token

    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class PulseResponse(models.Model):
    """One employee's anonymous answers.

    Nothing that identifies the person is kept: no name, e-mail, IP address or
    browser, no free text (a style or a detail can name its writer), and the
    day rather than the time of the answer.
    """

    invitation = models.ForeignKey(
        PulseInvitation, on_delete=models.CASCADE, related_name="responses"
    )
    answered_on = models.DateField(default=timezone.localdate)
    # Question code -> a choice code or a list of choice codes (see survey.py).
    answers = models.JSONField()

    class Meta:
        db_table = "assessment_pulseresponse"
        verbose_name = _("réponse au pouls des salariés")

    def __str__(self):
        return f"{self.invitation_id}:{self.pk}"
