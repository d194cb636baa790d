from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("<int:assessment_id>/plans/", views.report_list, name="list"),
    path("<int:assessment_id>/plans/new/", views.request_report, name="request"),
    path("<int:assessment_id>/plans/<int:pk>/", views.report_status, name="status"),
    path("<int:assessment_id>/plans/<int:pk>/pdf/", views.download, name="download"),
    path("<int:assessment_id>/plans/<int:pk>/retry/", views.retry, name="retry"),
]
