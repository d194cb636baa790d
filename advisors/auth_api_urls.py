"""The advisors' token endpoint, included under /api/v1/ by config/urls.py."""

from django.urls import path

from .auth_api import AdvisorToken

urlpatterns = [
    path("advisor/token/", AdvisorToken.as_view(), name="advisor_token"),
]
