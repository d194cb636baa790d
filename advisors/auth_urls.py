"""Advisors' accounts under /conseil/, included by advisors/urls.py:

    path("", include("advisors.auth_urls")),

No `app_name` here: the names join the "advisors" namespace of the including
URLconf (advisors:login, advisors:logout, advisors:verify, advisors:account,
advisors:password_reset…), which the views and templates reverse.
"""

from django.contrib.auth import views as django_auth
from django.urls import path, reverse_lazy

from . import auth_views as views

T = "advisors/auth/"

urlpatterns = [
    path("connexion/", views.sign_in, name="login"),
    path("verification/", views.verify, name="verify"),
    path("deconnexion/", views.sign_out, name="logout"),
    path("compte/", views.account, name="account"),
    path("compte/double-authentification/", views.totp_setup, name="totp_setup"),
    path(
        "compte/double-authentification/activer/",
        views.totp_start,
        name="totp_start",
    ),
    path(
        "compte/double-authentification/desactiver/",
        views.totp_disable,
        name="totp_disable",
    ),
    path("compte/jetons/", views.token_create, name="token_create"),
    path("compte/jetons/<int:pk>/revoquer/", views.token_revoke, name="token_revoke"),
    path(
        "mot-de-passe/",
        views.ResetRequest.as_view(
            template_name=T + "password_reset_form.html",
            email_template_name=T + "password_reset_email.txt",
            subject_template_name=T + "password_reset_subject.txt",
            success_url=reverse_lazy("advisors:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe/envoye/",
        django_auth.PasswordResetDoneView.as_view(
            template_name=T + "password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/<uidb64>/<token>/",
        views.ResetConfirm.as_view(
            template_name=T + "password_reset_confirm.html",
            success_url=reverse_lazy("advisors:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/termine/",
        django_auth.PasswordResetCompleteView.as_view(
            template_name=T + "password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
