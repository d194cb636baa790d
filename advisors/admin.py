"""Staff manage organisations and members here; cases and their log are records."""

from django.contrib import admin

from . import cases
from .models import AccessLog, ApiToken, Campaign, Case, Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "slug"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["departments"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["organisation", "role"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records: staff read them; only the application writes them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "organisation", "status", "assignee", "shared_at"]
    list_filter = ["organisation", "status", "shared_at", "withdrawn_at"]
    search_fields = ["assessment__company_name", "organisation__name"]
    list_select_related = ["assessment", "organisation", "assignee"]
    date_hierarchy = "shared_at"

    # Through the workflow, so that the statistics' tallies follow.
    def delete_model(self, request, obj):
        cases.delete_cases(Case.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        cases.delete_cases(queryset)


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "user_name", "action", "case"]
    list_filter = ["action", "at"]
    search_fields = ["user_name", "case__assessment__company_name"]
    list_select_related = ["case__assessment", "case__organisation"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Staff can revoke (delete) a member's token, never see or make one."""

    list_display = ["user", "name", "prefix", "created_at", "last_used_at"]
    search_fields = ["user__username", "name", "prefix"]
    list_select_related = ["user"]
    exclude = ["digest"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "receiving", "starts_on", "ends_on",
                    "closed_at"]  # fmt: skip
    list_filter = ["organisation"]
    search_fields = ["name", "code"]
    # The link is printed on posters: it never changes.
    readonly_fields = ["code", "created_by", "created_at"]

    def has_add_permission(self, request):
        return False  # made by an organisation's admin, with its link
