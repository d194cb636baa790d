from django.urls import path, re_path

from config.views import not_found

from . import api

app_name = "reports_api"

urlpatterns = [
    path(
        "assessments/<int:pk>/reports/",
        api.AssessmentReportList.as_view(),
        name="list",
    ),
    path("reports/<int:pk>/", api.ReportDetail.as_view(), name="detail"),
    path("reports/<int:pk>/pdf/", api.ReportPdf.as_view(), name="pdf"),
    path("reports/<int:pk>/retry/", api.ReportRetry.as_view(), name="retry"),
    # Last: any other address under reports/ answers a JSON 404, not HTML.
    re_path(r"^(?P<path>reports(?:/[\s\S]*)?)$", not_found),
]
