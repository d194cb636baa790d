from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.index, name="index"),
    path("cas-d-usage/", views.use_case_list, name="use_case_list"),
    path("cas-d-usage/<slug:slug>/", views.use_case_detail, name="use_case_detail"),
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/<slug:slug>/", views.programme_detail, name="programme_detail"),
    path("formations/", views.training_list, name="training_list"),
    path("prestataires/", views.provider_list, name="provider_list"),
    path("prestataires/<slug:slug>/", views.provider_detail, name="provider_detail"),
]
