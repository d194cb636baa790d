from django.apps import AppConfig
from django.db import transaction
from django.db.models import signals
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Catalogue")

    def ready(self):
        # The one place that hears of every change to a catalogue row, whether
        # from the admin, a CSV import, the seed loader or a test: the snapshot
        # and the results matched against it get a new version: at once (the
        # change is visible to this transaction) and again once committed (a
        # snapshot another process read meanwhile held the old rows).
        for model in self.get_models():
            for signal in (signals.post_save, signals.post_delete):
                signal.connect(_changed, sender=model, weak=False)
        signals.m2m_changed.connect(_m2m_changed, weak=False)


def _changed(sender=None, **kwargs):
    from config import cache_keys

    cache_keys.catalogue_changed()
    transaction.on_commit(cache_keys.catalogue_changed)


def _m2m_changed(sender=None, instance=None, action="", **kwargs):
    if action.startswith("post_") and instance._meta.app_label == "catalog":
        _changed()
