"""Read-only REST API over the catalogue; related records are named by slug/code."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination, _positive_int

from config.api import ErrorSerializer, ValidationErrorSerializer

from . import filters
from .models import (
    Citation,
    Department,
    KeyFigure,
    Programme,
    Provider,
    RegionalExample,
    Sector,
    Solution,
    StoneCategory,
    UseCase,
)


# Related records appear by their public key (slug or code), never by id:
# ids differ between installs, keys are what the seed files and URLs use.
def slugs(**kwargs):
    return serializers.SlugRelatedField(slug_field="slug", read_only=True, **kwargs)


def codes(**kwargs):
    return serializers.SlugRelatedField(slug_field="code", read_only=True, **kwargs)


class CitationSerializer(serializers.ModelSerializer):
    source = serializers.SlugRelatedField(slug_field="file_name", read_only=True)

    class Meta:
        model = Citation
        fields = ["source", "quote"]


class StoneCategorySerializer(serializers.ModelSerializer):
    keywords = serializers.ListField(
        source="keyword_list", child=serializers.CharField(), read_only=True
    )

    class Meta:
        model = StoneCategory
        fields = ["slug", "name", "description", "keywords", "automatable_share"]


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["slug", "name", "naf_section", "naf_codes"]


class DepartmentSerializer(serializers.ModelSerializer):
    region = codes()
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Department
        fields = ["code", "name", "region", "region_name"]


class SolutionSerializer(serializers.ModelSerializer):
    provider = slugs(allow_null=True)
    stone_categories = slugs(many=True)
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
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
            "citations",
        ]


class UseCaseSerializer(serializers.ModelSerializer):
    stone_categories = slugs(many=True)
    sectors = slugs(many=True)
    services = slugs(many=True)
    solutions = slugs(many=True)
    citations = CitationSerializer(many=True, read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
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
            "services",
            "solutions",
            "citations",
            "url",
        ]


class EnvelopeSerializer(serializers.ModelSerializer):
    # A plain string: a second enum for `kind` would make schema enum names clash.
    kind = serializers.CharField(read_only=True, help_text="A programme kind.")

    class Meta:
        model = Programme
        fields = ["slug", "name", "kind", "amount_eur", "amount_text"]


class ProgrammeSerializer(serializers.ModelSerializer):
    parent = slugs(allow_null=True)
    envelopes = EnvelopeSerializer(many=True, read_only=True)
    regions = codes(many=True)
    departments = codes(many=True)
    size_bands = codes(many=True)
    sectors = slugs(many=True)
    needs = slugs(many=True)
    citations = CitationSerializer(many=True, read_only=True)
    page_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Programme
        fields = [
            "slug",
            "name",
            "operator",
            "kind",
            "parent",
            "envelopes",
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
            "citations",
            "page_url",
        ]


class ProviderSerializer(serializers.ModelSerializer):
    department = codes(allow_null=True)
    region = codes(allow_null=True)
    services = slugs(many=True)
    solutions = slugs(many=True)
    citations = CitationSerializer(many=True, read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
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
            "solutions",
            "citations",
            "url",
        ]


class RegionalExampleSerializer(serializers.ModelSerializer):
    department = codes(allow_null=True)
    sectors = slugs(many=True)
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = RegionalExample
        fields = [
            "slug",
            "name",
            "town",
            "department",
            "sectors",
            "ai_use",
            "citations",
        ]


class KeyFigureSerializer(serializers.ModelSerializer):
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = KeyFigure
        fields = [
            "slug",
            "label",
            "value",
            "unit",
            "value_text",
            "scope",
            "year",
            "citations",
        ]


# Each item lists its citations with their source's name: two queries a page
# rather than one or two per item.
CITATIONS = Prefetch("citations", Citation.objects.select_related("source"))


class CatalogPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        """The size asked for, at most 200; one that is not a number is refused."""
        asked = request.query_params.get(self.page_size_query_param)
        if asked is None:
            return self.page_size
        try:
            return _positive_int(asked, strict=True, cutoff=self.max_page_size)
        except ValueError:
            raise ValidationError(
                {self.page_size_query_param: [_("Un nombre entier positif.")]}
            ) from None

    def get_page_number(self, request, paginator):
        # An empty `page=` is not page 1: it is no page at all (404).
        return request.query_params.get(self.page_query_param, 1)


NOT_FOUND = OpenApiResponse(ErrorSerializer, "No such item, or no such page.")
INVALID_QUERY = OpenApiResponse(
    ValidationErrorSerializer, "Invalid filter or page size: messages per parameter."
)


class CatalogSchema(AutoSchema):
    """Documents the errors every catalogue endpoint may answer, and empty filters."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        pages = {
            CatalogPagination.page_query_param,
            CatalogPagination.page_size_query_param,
        }
        for parameter in (operation or {}).get("parameters", []):
            if parameter["in"] == "query" and parameter["name"] not in pages:
                parameter["allowEmptyValue"] = True  # `?year=` filters nothing
        return operation

    def get_response_serializers(self):
        responses = {200: super().get_response_serializers(), 404: NOT_FOUND}
        if self.view.action == "list":
            responses[400] = INVALID_QUERY
        return responses


class CatalogViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"  # a key with a dot reaches the view: a JSON 404
    filter_backends = [DjangoFilterBackend]
    pagination_class = CatalogPagination
    schema = CatalogSchema()


@extend_schema_view(
    list=extend_schema(summary="Use cases: what AI does, by stone category"),
    retrieve=extend_schema(summary="One use case"),
)
class UseCaseViewSet(CatalogViewSet):
    queryset = UseCase.objects.prefetch_related(
        "stone_categories", "sectors", "solutions", CITATIONS
    )
    serializer_class = UseCaseSerializer
    filterset_class = filters.UseCaseFilter


@extend_schema_view(
    list=extend_schema(
        summary="Programmes: funding, accompaniment, training, incident response…"
    ),
    retrieve=extend_schema(summary="One programme, with its envelopes"),
)
class ProgrammeViewSet(CatalogViewSet):
    queryset = Programme.objects.select_related("parent").prefetch_related(
        "envelopes",
        "regions",
        "departments",
        "size_bands",
        "sectors",
        "needs",
        CITATIONS,
    )
    serializer_class = ProgrammeSerializer
    filterset_class = filters.ProgrammeFilter


@extend_schema_view(
    list=extend_schema(summary="Providers, with town, services and sovereignty flag"),
    retrieve=extend_schema(summary="One provider"),
)
class ProviderViewSet(CatalogViewSet):
    queryset = Provider.objects.select_related("department", "region").prefetch_related(
        "services", "solutions", CITATIONS
    )
    serializer_class = ProviderSerializer
    filterset_class = filters.ProviderFilter


@extend_schema_view(
    list=extend_schema(summary="Software solutions the documents name"),
    retrieve=extend_schema(summary="One solution"),
)
class SolutionViewSet(CatalogViewSet):
    queryset = Solution.objects.select_related("provider").prefetch_related(
        "stone_categories", CITATIONS
    )
    serializer_class = SolutionSerializer
    filterset_class = filters.SolutionFilter


@extend_schema_view(
    list=extend_schema(summary="Companies the documents cite for their use of AI"),
    retrieve=extend_schema(summary="One regional example"),
)
class RegionalExampleViewSet(CatalogViewSet):
    queryset = RegionalExample.objects.select_related("department").prefetch_related(
        "sectors", CITATIONS
    )
    serializer_class = RegionalExampleSerializer
    filterset_class = filters.RegionalExampleFilter


@extend_schema_view(
    list=extend_schema(summary="Key figures: usage statistics, budgets"),
    retrieve=extend_schema(summary="One key figure"),
)
class KeyFigureViewSet(CatalogViewSet):
    queryset = KeyFigure.objects.prefetch_related(CITATIONS)
    serializer_class = KeyFigureSerializer
    filterset_class = filters.KeyFigureFilter


@extend_schema_view(
    list=extend_schema(summary="Stone categories: typical SME time sinks"),
    retrieve=extend_schema(summary="One stone category"),
)
class StoneCategoryViewSet(CatalogViewSet):
    queryset = StoneCategory.objects.all()
    serializer_class = StoneCategorySerializer
    filterset_class = filters.StoneCategoryFilter


@extend_schema_view(
    list=extend_schema(summary="Sectors"), retrieve=extend_schema(summary="One sector")
)
class SectorViewSet(CatalogViewSet):
    queryset = Sector.objects.all()
    serializer_class = SectorSerializer
    filterset_class = filters.SectorFilter


@extend_schema_view(
    list=extend_schema(summary="French departments (101)"),
    retrieve=extend_schema(summary="One department, by code"),
)
class DepartmentViewSet(CatalogViewSet):
    queryset = Department.objects.select_related("region")
    serializer_class = DepartmentSerializer
    filterset_class = filters.DepartmentFilter
    lookup_field = "code"
