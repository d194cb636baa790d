"""The organisation's campaign pages, included by `advisors.urls` under its namespace."""

from django.urls import path

from . import campaign_views as views

urlpatterns = [
    path("campagnes/", views.campaign_list, name="campaigns"),
    path("campagnes/nouvelle/", views.campaign_new, name="campaign_new"),
    path("campagnes/<int:pk>/", views.campaign_page, name="campaign"),
    path(
        "campagnes/<int:pk>/chiffres/", views.campaign_figures, name="campaign_figures"
    ),
    path("campagnes/<int:pk>/chiffres.csv", views.campaign_csv, name="campaign_csv"),
    path("campagnes/<int:pk>/affiche/", views.campaign_poster, name="campaign_poster"),
    path("campagnes/<int:pk>/qr/", views.campaign_qr, name="campaign_qr"),
    path("campagnes/<int:pk>/clore/", views.campaign_close, name="campaign_close"),
]
