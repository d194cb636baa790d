from django.urls import include, path

from . import api, views

pages = [
    path("confidentialite/", views.policy, name="policy"),
    path("confidentialite/donnees-effacees/", views.erased, name="erased"),
    path("diagnostic/<int:pk>/mes-donnees/", views.download, name="download"),
    path("diagnostic/<int:pk>/effacer/", views.erase, name="erase"),
]
api_patterns = [
    path("assessments/<int:pk>/data/", api.PersonalData.as_view(), name="data"),
]

# Included once from config/urls.py, before the API's catch-all for assessments/.
urlpatterns = [
    path("", include((pages, "privacy"))),
    path("api/v1/", include((api_patterns, "privacy_api"))),
]
