"""The owner's side: share the diagnostic with an organisation, see who opened it.

The owner is recognised as on every diagnostic page (`get_assessment_for_request`):
by the session that holds the private link, or by the API token.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessment.access import get_assessment_for_request

from . import cases, forms


def share_page(request, pk):
    assessment = get_assessment_for_request(request, pk)
    if not assessment.is_submitted():
        return redirect("assessment:result", pk)
    organisations = cases.organisations_for(assessment)
    form = forms.ShareForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        cases.share(assessment, organisation)
        messages.success(
            request,
            _("Votre diagnostic est partagé avec %(organisation)s.")
            % {"organisation": organisation.name},
        )
        return redirect("sharing:share", pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "advisors/share.html",
        {
            "assessment": assessment,
            "form": form,
            "organisations": [(o, cases.consent_text(o)) for o in organisations],
            "shares": cases.shares_of(assessment),
        },
        status=status,
    )


@require_POST
def withdraw(request, pk, case_pk):
    assessment = get_assessment_for_request(request, pk)
    case = assessment.cases.filter(pk=case_pk, withdrawn_at__isnull=True).first()
    if case is None:
        raise Http404
    cases.withdraw(case)
    messages.success(
        request,
        _("Le partage avec %(organisation)s est retiré : ses conseillers ne voient "
          "plus votre diagnostic.") % {"organisation": case.organisation.name},
    )  # fmt: skip
    return redirect("sharing:share", pk)
