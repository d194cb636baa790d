from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import asking
from .models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = [
        "assessment", "version", "language", "status", "page_count", "render_ms",
        "attempts", "requested_by", "queued_at",
    ]  # fmt: skip
    list_filter = ["status", "language", "requested_by"]
    search_fields = ["assessment__company_name"]
    list_select_related = ["assessment"]
    readonly_fields = [field.name for field in Report._meta.fields]
    actions = ["retry_failed"]

    def has_add_permission(self, request):
        return False  # a plan is asked for from the result page or the API

    @admin.action(description=_("Relancer les plans en échec"))
    def retry_failed(self, request, queryset):
        count = sum(asking.retry_report(report) for report in queryset)
        self.message_user(
            request,
            _("%(n)d plan(s) remis en file d’attente.") % {"n": count},
            messages.SUCCESS,
        )
