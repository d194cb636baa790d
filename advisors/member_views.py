"""The organisation admin's page: who is a member, with which role."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import accounts, forms
from .access import admin_required
from .models import Membership


def _members_page(request, form, status=200):
    organisation = request.membership.organisation
    members = organisation.members.select_related("user").order_by(
        "user__last_name", "user__first_name", "user__username"
    )
    return render(
        request,
        "advisors/members/members.html",
        {
            "organisation": organisation,
            "members": members,
            "form": form,
            "roles": Membership.Role.choices,
        },  # fmt: skip
        status=status,
    )


@admin_required
def members(request):
    form = forms.MemberForm(request.POST or None)
    if request.method != "POST":
        return _members_page(request, form)
    if form.is_valid():
        try:
            user = accounts.invite_member(
                request,
                organisation=request.membership.organisation,
                **form.cleaned_data,
            )
        except accounts.MemberError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _(
                    "Compte créé : %(email)s a reçu un lien pour choisir son mot de passe."
                )
                % {"email": user.email},
            )
            return redirect("advisors:members")
    return _members_page(request, form, status=400)


def _member(request, pk) -> Membership:
    found = request.membership.organisation.members.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@admin_required
@require_POST
def change_role(request, pk):
    membership = _member(request, pk)
    form = forms.RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Rôle inconnu."))
        return redirect("advisors:members")
    try:
        accounts.change_role(membership, form.cleaned_data["role"])
    except accounts.MemberError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Rôle modifié."))
    return redirect("advisors:members")


@admin_required
@require_POST
def remove(request, pk):
    membership = _member(request, pk)
    try:
        accounts.remove_member(membership, request.user)
    except accounts.MemberError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Membre retiré de l’organisation."))
    return redirect("advisors:members")
