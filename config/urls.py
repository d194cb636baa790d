from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import throttling, views

# The apps that add pages to a diagnostic, and the APIs, share a prefix each.
DIAGNOSTIC_URLCONFS = ["assessment.urls", "reports.urls", "advisors.sharing_urls",
                       "pulse.urls"]  # fmt: skip
# The diagnostic's last: its catch-all answers 404 to unknown assessments/
# paths, under which the reports, the advisors and the pulse add their own.
API_URLCONFS = ["catalog.api_urls", "advisors.auth_api_urls", "reports.api_urls",
                "advisors.api_urls", "pulse.api_urls", "assessment.api_urls"]  # fmt: skip

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
    *(path("diagnostic/", include(urlconf)) for urlconf in DIAGNOSTIC_URLCONFS),
    path("conseil/", include("advisors.urls")),
    path("campagne/", include("advisors.campaign_start_urls")),
    path("", include("privacy.urls")),
    *(path("api/v1/", include(urlconf)) for urlconf in API_URLCONFS),
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
