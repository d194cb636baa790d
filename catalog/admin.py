from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from import_export.admin import ImportExportModelAdmin

from . import resources
from .models import (
    Citation,
    Department,
    KeyFigure,
    Need,
    Programme,
    Provider,
    Region,
    RegionalExample,
    Sector,
    Service,
    SizeBand,
    Solution,
    Source,
    StoneCategory,
    UseCase,
)


class CitationInline(GenericTabularInline):
    model = Citation
    extra = 1
    min_num = 1
    autocomplete_fields = ["source"]


class CitedAdmin(ImportExportModelAdmin):
    inlines = [CitationInline]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["file_name", "title", "published_on", "publisher"]
    search_fields = ["file_name", "title", "publisher"]


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ["source", "content_type", "object_id", "quote"]
    list_filter = ["source", "content_type"]
    search_fields = ["quote"]
    list_select_related = ["source", "content_type"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "naf_section", "naf_codes"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(SizeBand)
class SizeBandAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "min_employees", "max_employees"]


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    list_filter = ["needs"]
    search_fields = ["name", "slug"]
    filter_horizontal = ["needs"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(StoneCategory)
class StoneCategoryAdmin(ImportExportModelAdmin):
    resource_classes = [resources.StoneCategoryResource]
    list_display = ["name", "slug", "automatable_share", "position"]
    list_editable = ["automatable_share", "position"]
    search_fields = ["name", "slug", "keywords", "example_phrases"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(UseCase)
class UseCaseAdmin(CitedAdmin):
    resource_classes = [resources.UseCaseResource]
    list_display = ["name", "effort", "cost_band", "min_maturity"]
    list_filter = ["stone_categories", "sectors", "effort", "cost_band", "min_maturity"]
    search_fields = ["name", "slug", "summary"]
    filter_horizontal = ["stone_categories", "sectors", "services", "solutions"]


@admin.register(Programme)
class ProgrammeAdmin(CitedAdmin):
    resource_classes = [resources.ProgrammeResource]
    list_display = ["name", "kind", "operator", "amount_label", "period_text", "parent"]
    list_filter = [
        "kind",
        "uptake",
        "reserved_for",
        "open_to_companies",
        "regions",
        "needs",
        "size_bands",
        "sectors",
    ]
    search_fields = ["name", "slug", "operator", "summary"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["regions", "departments", "size_bands", "sectors", "needs"]

    @admin.display(description="montant")
    def amount_label(self, programme):
        return programme.amount_label()


@admin.register(Provider)
class ProviderAdmin(CitedAdmin):
    resource_classes = [resources.ProviderResource]
    list_display = ["name", "kind", "town", "department", "is_french_or_eu"]
    list_filter = ["kind", "is_french_or_eu", "region", "services"]
    search_fields = ["name", "slug", "town", "description"]
    list_select_related = ["department"]
    autocomplete_fields = ["department", "region"]
    filter_horizontal = ["services"]


@admin.register(Solution)
class SolutionAdmin(CitedAdmin):
    resource_classes = [resources.SolutionResource]
    list_display = ["name", "provider", "open_source", "is_french_or_eu"]
    list_filter = ["open_source", "is_french_or_eu", "stone_categories"]
    search_fields = ["name", "slug", "description"]
    list_select_related = ["provider"]
    autocomplete_fields = ["provider"]
    filter_horizontal = ["stone_categories"]


@admin.register(RegionalExample)
class RegionalExampleAdmin(CitedAdmin):
    resource_classes = [resources.RegionalExampleResource]
    list_display = ["name", "town", "department"]
    list_filter = ["sectors", "department__region"]
    search_fields = ["name", "slug", "town", "ai_use"]
    list_select_related = ["department"]
    autocomplete_fields = ["department"]
    filter_horizontal = ["sectors"]


@admin.register(KeyFigure)
class KeyFigureAdmin(CitedAdmin):
    resource_classes = [resources.KeyFigureResource]
    list_display = ["label", "value_text", "value", "unit", "scope", "year"]
    list_filter = ["year", "scope"]
    search_fields = ["label", "slug", "scope"]
    prepopulated_fields = {"slug": ["label"]}
