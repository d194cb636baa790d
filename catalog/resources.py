"""CSV import/export for editors (django-import-export).

Records are matched on their slug; related records are written as slugs or
codes, many-to-many as comma-separated lists. An import with any bad row is
rolled back as a whole, and the admin reports each bad row by its number.
Citations are edited in the admin, not through CSV.
"""

from import_export import fields, resources, widgets

from .models import (
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
    StoneCategory,
    UseCase,
)


def fk(name, model, key="slug"):
    return fields.Field(
        attribute=name,
        column_name=name,
        widget=widgets.ForeignKeyWidget(model, field=key),
    )


def m2m(name, model, key="slug"):
    return fields.Field(
        attribute=name,
        column_name=name,
        widget=widgets.ManyToManyWidget(model, field=key, separator=","),
    )


class CatalogResource(resources.ModelResource):
    def import_data(self, dataset, **kwargs):
        # Half an import is worse than none: roll back on any invalid row too.
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, **kwargs)

    class Meta:
        import_id_fields = ["slug"]
        use_transactions = True
        skip_unchanged = True
        clean_model_instances = True


class StoneCategoryResource(CatalogResource):
    class Meta(CatalogResource.Meta):
        model = StoneCategory
        fields = [
            "slug",
            "name",
            "description",
            "keywords",
            "example_phrases",
            "automatable_share",
            "position",
        ]


class UseCaseResource(CatalogResource):
    stone_categories = m2m("stone_categories", StoneCategory)
    sectors = m2m("sectors", Sector)
    solutions = m2m("solutions", Solution)

    class Meta(CatalogResource.Meta):
        model = UseCase
        fields = [
            "slug",
            "name",
            "summary",
            "stone_categories",
            "sectors",
            "prerequisites",
            "min_maturity",
            "effort",
            "cost_band",
            "time_saved",
            "solutions",
        ]


class ProgrammeResource(CatalogResource):
    parent = fk("parent", Programme)
    regions = m2m("regions", Region, key="code")
    departments = m2m("departments", Department, key="code")
    size_bands = m2m("size_bands", SizeBand, key="code")
    sectors = m2m("sectors", Sector)
    needs = m2m("needs", Need)

    class Meta(CatalogResource.Meta):
        model = Programme
        fields = [
            "slug",
            "name",
            "operator",
            "kind",
            "parent",
            "position",
            "summary",
            "eligibility",
            "audience",
            "uptake",
            "reserved_for",
            "open_to_companies",
            "regions",
            "departments",
            "size_bands",
            "sectors",
            "needs",
            "cost_to_company",
            "is_free",
            "amount_eur",
            "amount_text",
            "starts_on",
            "ends_on",
            "period_text",
            "place",
            "duration_text",
            "url",
        ]


class ProviderResource(CatalogResource):
    department = fk("department", Department, key="code")
    region = fk("region", Region, key="code")
    services = m2m("services", Service)

    class Meta(CatalogResource.Meta):
        model = Provider
        fields = [
            "slug",
            "name",
            "kind",
            "town",
            "department",
            "region",
            "services",
            "is_french_or_eu",
            "description",
            "url",
        ]


class SolutionResource(CatalogResource):
    provider = fk("provider", Provider)
    stone_categories = m2m("stone_categories", StoneCategory)

    class Meta(CatalogResource.Meta):
        model = Solution
        fields = [
            "slug",
            "name",
            "provider",
            "description",
            "open_source",
            "is_free",
            "is_french_or_eu",
            "stone_categories",
        ]


class RegionalExampleResource(CatalogResource):
    department = fk("department", Department, key="code")
    sectors = m2m("sectors", Sector)

    class Meta(CatalogResource.Meta):
        model = RegionalExample
        fields = ["slug", "name", "town", "department", "sectors", "ai_use"]


class KeyFigureResource(CatalogResource):
    class Meta(CatalogResource.Meta):
        model = KeyFigure
        fields = ["slug", "label", "value", "unit", "value_text", "scope", "year"]
