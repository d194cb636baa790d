from django.urls import path

from . import views

# Under diagnostic/: the owner's side, then the employees' shared link.
app_name = "pulse"
urlpatterns = [
    path("<int:pk>/pouls/", views.owner_page, name="owner"),
    path("<int:pk>/pouls/inviter/", views.invite, name="invite"),
    path("<int:pk>/pouls/clore/", views.close, name="close"),
    path("pouls/merci/", views.thanks, name="thanks"),
    path("pouls/<str:token>/", views.answer, name="answer"),
]
