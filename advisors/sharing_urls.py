from django.urls import path

from . import sharing_views

app_name = "sharing"

urlpatterns = [
    path("<int:pk>/partage/", sharing_views.share_page, name="share"),
    path(
        "<int:pk>/partage/<int:case_pk>/retirer/",
        sharing_views.withdraw,
        name="withdraw",
    ),
]
