"""The site's URLs plus a page with an argument no provider fills (a test's urlconf)."""

from django.urls import include, path

from config import views
from config.urls import urlpatterns as site

case_patterns = ([path("dossiers/<int:pk>/", views.home, name="case")], "advisors")

urlpatterns = [*site, path("conseil/", include(case_patterns))]
