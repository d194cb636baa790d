from django.urls import path, re_path

from config.views import not_found

from . import api

app_name = "assessment_api"

urlpatterns = [
    path("questionnaire/", api.QuestionnaireDetail.as_view(), name="questionnaire"),
    path("assessments/", api.AssessmentCreate.as_view(), name="create"),
    path("assessments/<int:pk>/", api.AssessmentDetail.as_view(), name="detail"),
    path("assessments/<int:pk>/answers/", api.AnswerList.as_view(), name="answers"),
    path("assessments/<int:pk>/submit/", api.AssessmentSubmit.as_view(), name="submit"),
    path("assessments/<int:pk>/result/", api.ResultDetail.as_view(), name="result"),
    path(
        "assessments/<int:pk>/reassess/",
        api.AssessmentReassess.as_view(),
        name="reassess",
    ),
    path(
        "assessments/<int:pk>/actions/",
        api.ActionProgressList.as_view(),
        name="actions",
    ),
    path(
        "assessments/<int:pk>/actions/<slug:action>/",
        api.ActionProgressDetail.as_view(),
        name="action",
    ),
    path("stone-reading/", api.StoneReading.as_view(), name="stone_reading"),
    # Last: any other address under these prefixes, even one with a newline,
    # answers a JSON 404, not HTML.
    re_path(
        r"^(?P<path>(?:questionnaire|assessments|stone-reading)(?:/[\s\S]*)?)$",
        not_found,
    ),
]
