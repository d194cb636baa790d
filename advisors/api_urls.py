from django.urls import path, re_path

from config.views import not_found

from . import api, campaign_api
from .stats_api import StatsView

app_name = "advisors_api"

urlpatterns = [
    path("advisor/cases/", api.CaseList.as_view(), name="cases"),
    path("advisor/cases/<int:pk>/", api.CaseDetail.as_view(), name="case"),
    path("advisor/cases/<int:pk>/notes/", api.CaseNotes.as_view(), name="notes"),
    path("advisor/cases/<int:pk>/status/", api.CaseStatus.as_view(), name="status"),
    path(
        "advisor/cases/<int:pk>/assignee/", api.CaseAssignee.as_view(), name="assignee"
    ),
    path(
        "advisor/cases/<int:pk>/adjustments/",
        api.CaseAdjustments.as_view(),
        name="adjustments",
    ),
    path(
        "advisor/cases/<int:pk>/adjustments/<int:adjustment_id>/",
        api.CaseAdjustmentDetail.as_view(),
        name="adjustment",
    ),
    path("advisor/cases/<int:pk>/reports/", api.CaseReports.as_view(), name="reports"),
    path(
        "advisor/cases/<int:pk>/reports/<int:report_pk>/",
        api.CaseReportDetail.as_view(),
        name="report",
    ),
    path(
        "advisor/cases/<int:pk>/reports/<int:report_pk>/pdf/",
        api.CaseReportPdf.as_view(),
        name="report_pdf",
    ),
    path("advisor/stats/", StatsView.as_view(), name="stats"),
    path("advisor/campaigns/", campaign_api.CampaignList.as_view(), name="campaigns"),
    path(
        "advisor/campaigns/<int:pk>/",
        campaign_api.CampaignDetail.as_view(),
        name="campaign",
    ),
    path(
        "advisor/campaigns/<int:pk>/close/",
        campaign_api.CampaignClose.as_view(),
        name="campaign_close",
    ),
    path("assessments/<int:pk>/shares/", api.Shares.as_view(), name="shares"),
    path(
        "assessments/<int:pk>/shares/<int:case_pk>/",
        api.ShareDetail.as_view(),
        name="share",
    ),
    # Last: any other address under advisor/ answers a JSON 404, not HTML.
    re_path(r"^(?P<path>advisor(?:/[\s\S]*)?)$", not_found),
]
