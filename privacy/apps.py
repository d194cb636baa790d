from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Données personnelles")

    def ready(self):
        # The advisors' data follows the same rules; privacy sits above them.
        from django.conf import settings

        from advisors import cases

        from . import erasure, retention

        retention.register_purge(
            "advisors.access_log",
            lambda now: cases.purge_access_log(
                retention.older_than_days(
                    settings.PRIVACY_ACCESS_LOG_RETENTION_DAYS, now
                )
            ),
        )
        retention.register_anonymiser("advisors.free_text", cases.forget_free_text)
        erasure.register_before_erasing("advisors.tallies", cases.forget_shares)
