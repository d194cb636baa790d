from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import throttling, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("ping", views.ping, name="ping"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before the admin's own: the same sign-in page, with a rate limit.
    path("admin/login/", throttling.throttle("sign_in")(admin.site.login)),
    path("admin/", admin.site.urls),
    path("catalogue/", include("catalog.urls")),
    path("diagnostic/", include("assessment.urls")),
    path("diagnostic/", include("reports.urls")),
    path("diagnostic/", include("advisors.sharing_urls")),
    path("conseil/", include("advisors.urls")),
    path("", include("privacy.urls")),
    path("api/v1/", include("catalog.api_urls")),
    path("api/v1/", include("advisors.auth_api_urls")),
    # Before assessment's: its catch-all answers 404 to unknown assessments/ paths.
    path("api/v1/", include("reports.api_urls")),
    path("api/v1/", include("advisors.api_urls")),
    path("api/v1/", include("assessment.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its script as a file (no inline script); Swagger UI
    # sets styles inline, so this page alone allows them.
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="schema")
        ),
        name="api_docs",
    ),
]
