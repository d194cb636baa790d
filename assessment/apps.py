from django.apps import AppConfig
from django.db import transaction
from django.db.models import signals
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("Diagnostic")

    def ready(self):
        # Peer comparisons are cached by the outcomes' version (peers.py): any
        # outcome saved or deleted gives it a new one, at once and again once
        # committed (a comparison read meanwhile held the old rows).
        from .models import Outcome

        for signal in (signals.post_save, signals.post_delete):
            signal.connect(_outcome_changed, sender=Outcome, weak=False)


def _outcome_changed(sender=None, **kwargs):
    from config import cache_keys

    cache_keys.peers_changed()
    transaction.on_commit(cache_keys.peers_changed)
