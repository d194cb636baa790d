from django.urls import path

from . import followup_views, views

app_name = "assessment"
urlpatterns = [
    path("", views.start, name="start"),
    path("questions/", views.preview, name="preview"),
    path("reprendre/<str:token>/", views.resume, name="resume"),
    path("<int:pk>/lien/", views.link, name="link"),
    path("<int:pk>/lien/envoyer/", views.email_link, name="email_link"),
    path("<int:pk>/lien/nouveau/", views.new_link, name="new_link"),
    path("<int:pk>/profil/", views.profile, name="profile"),
    path("<int:pk>/etape/<slug:section>/", views.step, name="step"),
    path(
        "<int:pk>/etape/<slug:section>/champs/", views.step_fields, name="step_fields"
    ),
    path(
        "<int:pk>/etape/<slug:section>/lecture/",
        views.stone_reading,
        name="stone_reading",
    ),
    path("<int:pk>/resultat/", views.result, name="result"),
    path("<int:pk>/cout-horaire/", views.hourly_cost, name="hourly_cost"),
    path("<int:pk>/refaire/", views.retake, name="retake"),
    path("<int:pk>/suivi/", followup_views.followup_page, name="followup"),
    path("<int:pk>/suivi/rappels/", followup_views.reminders, name="reminders"),
    path("<int:pk>/suivi/<slug:action>/", followup_views.tick, name="tick"),
    path(
        "rappels/arreter/<str:token>/",
        followup_views.unsubscribe,
        name="unsubscribe",
    ),
]
