from django.urls import path, re_path

from config.views import not_found

from . import api

app_name = "pulse_api"
urlpatterns = [
    path("assessments/<int:pk>/pulse/", api.PulseDetail.as_view(), name="detail"),
    path("assessments/<int:pk>/pulse/close/", api.PulseClose.as_view(), name="close"),
    path("pulse/<str:token>/", api.PulseForm.as_view(), name="form"),
    path("pulse/<str:token>/responses/", api.PulseAnswer.as_view(), name="answer"),
    # Last: any other address under pulse/ answers a JSON 404, not HTML.
    re_path(r"^(?P<path>pulse(?:/[\s\S]*)?)$", not_found),
]
