from django.urls import include, path

from . import member_views, views

app_name = "advisors"

urlpatterns = [
    path("", include("advisors.auth_urls")),
    path("", include("advisors.stats_urls")),
    path("", include("advisors.campaign_urls")),
    path("", views.queue_page, name="queue"),
    path("membres/", member_views.members, name="members"),
    path("membres/<int:pk>/role/", member_views.change_role, name="member_role"),
    path("membres/<int:pk>/retirer/", member_views.remove, name="member_remove"),
    path("dossiers/<int:pk>/", views.case_page, name="case"),
    path("dossiers/<int:pk>/notes/", views.add_note, name="add_note"),
    path("dossiers/<int:pk>/etat/", views.change_status, name="change_status"),
    path("dossiers/<int:pk>/attribution/", views.assign, name="assign"),
    path("dossiers/<int:pk>/plan/retirer/", views.hide, name="hide"),
    path("dossiers/<int:pk>/plan/ajouter/", views.add_item, name="add_item"),
    path("dossiers/<int:pk>/plan/conseil/", views.add_advice, name="add_advice"),
    path(
        "dossiers/<int:pk>/plan/ajustements/<int:adjustment_id>/annuler/",
        views.remove_adjustment,
        name="remove_adjustment",
    ),
    path("dossiers/<int:pk>/plans/nouveau/", views.regenerate, name="regenerate"),
    path(
        "dossiers/<int:pk>/plans/<int:report_pk>/",
        views.report_status,
        name="report_status",
    ),
    path(
        "dossiers/<int:pk>/plans/<int:report_pk>/relancer/",
        views.retry_report,
        name="retry_report",
    ),
    path(
        "dossiers/<int:pk>/plans/<int:report_pk>/pdf/",
        views.download,
        name="download",
    ),
]
