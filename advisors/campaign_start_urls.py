"""A campaign's public link: the owners' first page (short, for the QR code)."""

from django.urls import path

from . import campaign_views

app_name = "campaigns"
urlpatterns = [path("<slug:code>/", campaign_views.start, name="start")]
