"""The site's URLs plus a page with an argument no provider fills (a test's urlconf)."""

from django.urls import include, path

from config import views
from config.urls import urlpatterns as site

case_patterns = ([path("fiches/<int:pk>/", views.home, name="sheet")], "unfilled")

urlpatterns = [*site, path("inconnu/", include(case_patterns))]
