"""Filter sets shared by the catalogue pages and the API.

Related records are named by slug or code in the query string, so an unknown
value is a validation error (a message on a page, a 400 from the API).
"""

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

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


def by_key(**kwargs):
    """A related record named by its slug or code (a plain string in the schema)."""
    return extend_schema_field(OpenApiTypes.STR)(
        django_filters.ModelChoiceFilter(**kwargs)
    )


def department_filter(**kwargs):
    return by_key(
        queryset=Department.objects.all(),
        to_field_name="code",
        label=_("Département"),
        empty_label=_("Tous"),
        **kwargs,
    )


def region_filter(**kwargs):
    return by_key(
        queryset=Region.objects.all(),
        to_field_name="code",
        label=_("Région"),
        empty_label=_("Toutes"),
        **kwargs,
    )


def slug_filter(queryset, label, **kwargs):
    return by_key(
        queryset=queryset,
        to_field_name="slug",
        label=label,
        empty_label=_("Tous"),
        **kwargs,
    )


def yes_no_filter(field_name, label):
    """A true/false filter that rejects any other value instead of ignoring it."""

    def filter_yes_no(queryset, name, value: str):  # the schema's type: a string
        return queryset.filter(**{field_name: value == "true"})

    return django_filters.ChoiceFilter(
        choices=[("true", _("Oui")), ("false", _("Non"))],
        method=filter_yes_no,
        empty_label=_("Indifférent"),
        label=label,
    )


def search_filter(*fields):
    def search(queryset, name, value):
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)

    return django_filters.CharFilter(
        method=lambda qs, name, value: search(qs, name, value.strip()),
        label=_("Recherche"),
        max_length=settings.SEARCH_MAX_LENGTH,
    )


def _takeable(programmes):
    """The eligibility filters answer what a company could take up now, as the
    matching does: programmes over, or closed to companies, are left out."""
    return programmes.open_to_companies().open_on(timezone.localdate())


class ProgrammeFilter(django_filters.FilterSet):
    q = search_filter("name", "summary", "operator", "eligibility", "audience")
    kind = django_filters.ChoiceFilter(
        choices=Programme.Kind.choices, label=_("Type"), empty_label=_("Tous")
    )
    department = department_filter(method="filter_department")
    region = region_filter(method="filter_region")
    sector = slug_filter(Sector.objects.all(), _("Secteur"), method="filter_sector")
    size = by_key(
        queryset=SizeBand.objects.all(),
        to_field_name="code",
        label=_("Taille d’entreprise"),
        empty_label=_("Toutes"),
        method="filter_size",
    )
    need = slug_filter(Need.objects.all(), _("Besoin"), method="filter_need")

    class Meta:
        model = Programme
        fields = ["q", "kind", "department", "region", "sector", "size", "need"]

    # Who may take a programme up: only what is open to companies today.
    def filter_department(self, queryset, name, value):
        return _takeable(queryset).covering(value)

    def filter_region(self, queryset, name, value):
        return _takeable(queryset).for_region(value)

    def filter_sector(self, queryset, name, value):
        return _takeable(queryset).for_sector(value)

    def filter_size(self, queryset, name, value):
        return _takeable(queryset).for_size(value)

    def filter_need(self, queryset, name, value):
        return queryset.for_need(value)


class TrainingFilter(ProgrammeFilter):
    class Meta(ProgrammeFilter.Meta):
        fields = ["q", "department", "region", "sector", "size"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("kind", "need"):
            self.filters.pop(name)


class UseCaseFilter(django_filters.FilterSet):
    q = search_filter("name", "summary", "prerequisites")
    stone_category = slug_filter(
        StoneCategory.objects.all(), _("Caillou"), method="filter_stone"
    )
    sector = slug_filter(Sector.objects.all(), _("Secteur"), method="filter_sector")
    effort = django_filters.ChoiceFilter(
        choices=UseCase.Effort.choices, label=_("Effort"), empty_label=_("Tous")
    )
    cost_band = django_filters.ChoiceFilter(
        choices=UseCase.CostBand.choices, label=_("Coût"), empty_label=_("Tous")
    )

    class Meta:
        model = UseCase
        fields = ["q", "stone_category", "sector", "effort", "cost_band"]

    def filter_stone(self, queryset, name, value):
        return queryset.for_stone(value)

    def filter_sector(self, queryset, name, value):
        return queryset.for_sector(value)


class ProviderFilter(django_filters.FilterSet):
    q = search_filter("name", "description", "town")
    kind = django_filters.ChoiceFilter(
        choices=Provider.Kind.choices, label=_("Type"), empty_label=_("Tous")
    )
    department = department_filter(method="filter_department")
    region = region_filter(method="filter_region")
    service = slug_filter(Service.objects.all(), _("Service"), method="filter_service")
    need = slug_filter(Need.objects.all(), _("Besoin"), method="filter_need")
    sovereign = yes_no_filter("is_french_or_eu", _("Français ou européen"))

    class Meta:
        model = Provider
        fields = ["q", "kind", "department", "region", "service", "need", "sovereign"]

    def filter_department(self, queryset, name, value):
        return queryset.in_department(value)

    def filter_region(self, queryset, name, value):
        return queryset.in_region(value)

    def filter_service(self, queryset, name, value):
        return queryset.offering(value)

    def filter_need(self, queryset, name, value):
        return queryset.serving_need(value)


class SolutionFilter(django_filters.FilterSet):
    q = search_filter("name", "description")
    stone_category = slug_filter(
        StoneCategory.objects.all(), _("Caillou"), method="filter_stone"
    )
    open_source = yes_no_filter("open_source", _("Open source"))
    sovereign = yes_no_filter("is_french_or_eu", _("Français ou européen"))

    class Meta:
        model = Solution
        fields = ["q", "stone_category", "open_source", "sovereign"]

    def filter_stone(self, queryset, name, value):
        return queryset.for_stone(value)


class RegionalExampleFilter(django_filters.FilterSet):
    q = search_filter("name", "ai_use", "town")
    department = department_filter(field_name="department")
    region = region_filter(field_name="department__region")
    sector = slug_filter(Sector.objects.all(), _("Secteur"), field_name="sectors")

    class Meta:
        model = RegionalExample
        fields = ["q", "department", "region", "sector"]


class IntegerFilter(django_filters.NumberFilter):
    """A whole number: NumberFilter would take 2024.5 as a year."""

    field_class = forms.IntegerField


class KeyFigureFilter(django_filters.FilterSet):
    q = search_filter("label", "scope")
    year = IntegerFilter(label=_("Année"))

    class Meta:
        model = KeyFigure
        fields = ["q", "year"]


class StoneCategoryFilter(django_filters.FilterSet):
    q = search_filter("name", "description", "keywords")

    class Meta:
        model = StoneCategory
        fields = ["q"]


class SectorFilter(django_filters.FilterSet):
    q = search_filter("name")

    class Meta:
        model = Sector
        fields = ["q"]


class DepartmentFilter(django_filters.FilterSet):
    q = search_filter("name", "code")
    region = region_filter(field_name="region")

    class Meta:
        model = Department
        fields = ["q", "region"]
