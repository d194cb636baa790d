from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
)
from rest_framework.exceptions import NotFound

from . import health


def home(request):
    return render(request, "home.html")


@never_cache
def healthz(request):
    checks = health.run_checks()
    failing = [name for name, result in checks.items() if not result["ok"]]
    body = {"status": "fail" if failing else "ok", "failing": failing, "checks": checks}
    return JsonResponse(body, status=503 if failing else 200)


def ping(request):
    """The cheapest page there is: the benchmarks' yardstick for the others."""
    return HttpResponse("ok", content_type="text/plain")


def accessibility(request):
    """The accessibility statement (RGAA's déclaration d'accessibilité)."""
    contact = settings.ACCESSIBILITY_CONTACT
    return render(request, "accessibility.html", {"contact": contact})


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@authentication_classes([])
@permission_classes([])
def not_found(request, path=""):
    """JSON rather than Django's HTML page for unknown addresses under the API."""
    raise NotFound
