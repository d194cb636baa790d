from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("ping", views.ping, name="ping"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("i18n/", include("django.conf.urls.i18n")),
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
    path(
        "api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api_docs"
    ),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
