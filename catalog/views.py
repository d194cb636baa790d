from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from .filters import ProgrammeFilter, ProviderFilter, TrainingFilter, UseCaseFilter
from .models import (
    KeyFigure,
    Programme,
    Provider,
    RegionalExample,
    Solution,
    StoneCategory,
    UseCase,
)

PAGE_SIZE = 20


def index(request):
    return render(
        request,
        "catalog/index.html",
        {
            "stone_categories": StoneCategory.objects.all(),
            "incident_response": Programme.objects.of_kind(
                Programme.Kind.INCIDENT_RESPONSE
            ),
            "plans": Programme.objects.top_level()
            .of_kind(Programme.Kind.FUNDING)
            .filter(envelopes__isnull=False)
            .distinct(),
            "key_figures": KeyFigure.objects.prefetch_related("citations__source"),
            "regional_examples": RegionalExample.objects.select_related("department"),
            "counts": {
                "use_cases": UseCase.objects.count(),
                "programmes": Programme.objects.count(),
                "trainings": Programme.objects.training().count(),
                "providers": Provider.objects.count(),
            },
        },
    )


def use_case_list(request):
    queryset = UseCase.objects.prefetch_related("stone_categories", "sectors")
    return _filtered_list(
        request, UseCaseFilter, queryset, "catalog/use_case_list.html"
    )


def use_case_detail(request, slug):
    use_case = get_object_or_404(
        UseCase.objects.prefetch_related(
            "stone_categories",
            "sectors",
            Prefetch("solutions", Solution.objects.select_related("provider")),
        ),
        slug=slug,
    )
    return render(request, "catalog/use_case_detail.html", {"use_case": use_case})


def programme_list(request):
    return _filtered_list(
        request,
        ProgrammeFilter,
        Programme.objects.select_related("parent"),
        "catalog/programme_list.html",
        {"title": _("Programmes et dispositifs")},
    )


def training_list(request):
    return _filtered_list(
        request,
        TrainingFilter,
        Programme.objects.training().select_related("parent"),
        "catalog/programme_list.html",
        {"title": _("Formations"), "is_training": True},
    )


def programme_detail(request, slug):
    programme = get_object_or_404(
        Programme.objects.select_related("parent").prefetch_related(
            "regions",
            "departments",
            "size_bands",
            "sectors",
            "needs",
            "envelopes__envelopes",
        ),
        slug=slug,
    )
    return render(request, "catalog/programme_detail.html", {"programme": programme})


def provider_list(request):
    queryset = Provider.objects.select_related("department", "region")
    return _filtered_list(
        request,
        ProviderFilter,
        queryset.prefetch_related("services"),
        "catalog/provider_list.html",
    )


def provider_detail(request, slug):
    provider = get_object_or_404(
        Provider.objects.select_related("department", "region").prefetch_related(
            "services", "solutions"
        ),
        slug=slug,
    )
    return render(request, "catalog/provider_detail.html", {"provider": provider})


def _filtered_list(request, filterset_class, queryset, template, extra=None):
    """Render a paginated list; invalid filters show errors, never a 500."""
    filterset = filterset_class(request.GET, queryset=queryset)
    results = filterset.qs if filterset.is_valid() else queryset.none()
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filter": filterset, "page": page, **(extra or {})}
    return render(request, template, context)
