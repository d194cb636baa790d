"""The employee pulse pages: the owner's link and totals, the employees' form.

The employees' form works as a plain HTML form. One answer per browser session
is enough: the pulse measures a trend, and the threshold, not the session,
protects anonymity. The domain work happens in `survey`.
"""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from assessment.access import get_assessment_for_request

from . import survey as pulse
from .api import AnswerThrottle
from .models import PulseInvitation

NEW_LINK_KEY = "pulse_new_link"  # the link to show once, until displayed
ANSWERED_KEY = "pulse_answered"  # invitation ids answered from this session


# --- The owner --------------------------------------------------------------------


def owner_page(request, pk):
    """The pulse of a diagnostic: the link (once), the count, the totals and the gap."""
    assessment = get_assessment_for_request(request, pk)
    if not assessment.is_submitted():
        return redirect("assessment:result", pk=pk)
    new = request.session.get(NEW_LINK_KEY)
    link = None
    if new and new[0] == assessment.pk:
        link = request.build_absolute_uri(reverse("pulse:answer", args=[new[1]]))
        del request.session[NEW_LINK_KEY]
    context = {
        "assessment": assessment,
        "pulse": pulse.summary_for(assessment),
        "link": link,
    }
    return render(request, "pulse/owner.html", context)


@require_POST
def invite(request, pk):
    """Open the pulse, or replace its link: the old link stops working."""
    assessment = get_assessment_for_request(request, pk)
    if not assessment.is_submitted():
        return redirect("assessment:result", pk=pk)
    _invitation, token = pulse.invite(assessment)
    request.session[NEW_LINK_KEY] = [assessment.pk, token]
    return redirect("pulse:owner", pk=pk)


@require_POST
def close(request, pk):
    assessment = get_assessment_for_request(request, pk)
    invitation = pulse.invitation_of(assessment)
    if invitation:
        pulse.close(invitation)
    return redirect("pulse:owner", pk=pk)


# --- The employees ------------------------------------------------------------------


def answer(request, token):
    invitation = PulseInvitation.objects.with_token(token).first()
    if invitation is None:
        return _notice(request, UNKNOWN_LINK, status=404)
    if not invitation.is_open():
        return _notice(request, CLOSED, status=410)
    if invitation.pk in request.session.get(ANSWERED_KEY, []):
        return _notice(request, {**THANKS, "lead": ALREADY_ANSWERED})
    if request.method != "POST":
        return _render_form(request, invitation, {}, {})
    raw = _raw_answers(request.POST)
    if not AnswerThrottle().allow_request(request, None):
        return _render_form(request, invitation, raw, {}, throttled=True)
    errors = pulse.answer(invitation, raw)
    if errors:
        return _render_form(request, invitation, raw, errors)
    answered = request.session.get(ANSWERED_KEY, [])
    request.session[ANSWERED_KEY] = [*answered, invitation.pk]
    return redirect("pulse:thanks")


def _raw_answers(post) -> dict:
    return {
        q.code: post.getlist(q.code) if q.kind == pulse.MULTIPLE else post.get(q.code)
        for q in pulse.question_list()
    }


def _render_form(request, invitation, raw, errors, throttled=False):
    fields = []
    for question in pulse.question_list():
        value = raw.get(question.code)
        values = value if isinstance(value, list) else [value]
        fields.append(
            {
                "question": question,
                "users_only": pulse.users_only(question),
                "id": f"q-{question.code}",
                "values": values,
                "error": errors.get(question.code, ""),
            }
        )
    context = {
        "company": invitation.assessment.company_name,
        "fields": fields,
        "errors": [f for f in fields if f["error"]],
        "throttled": throttled,
        "min_responses": pulse.min_responses(),
    }
    status = 429 if throttled else 200
    return render(request, "pulse/answer.html", context, status=status)


def thanks(request):
    return _notice(request, THANKS)


# The employees' short pages share one template; their words are here.
THANKS = {
    "title": gettext_lazy("Merci"),
    "heading": gettext_lazy("Merci pour votre réponse"),
    "lead": gettext_lazy(
        "Elle est enregistrée, sans rien qui permette de vous reconnaître."
    ),
    "text": gettext_lazy(
        "Votre direction verra seulement des totaux, quand assez de collègues "
        "auront répondu. Vous pouvez fermer cette page."
    ),
}
ALREADY_ANSWERED = gettext_lazy(
    "Vous avez déjà répondu depuis ce navigateur\u00a0: une réponse par personne "
    "suffit."
)
CLOSED = {
    "title": gettext_lazy("Questionnaire clos"),
    "heading": gettext_lazy("Ce questionnaire est clos"),
    "lead": gettext_lazy(
        "La personne qui vous a envoyé ce lien l’a fermé\u00a0: il ne reçoit plus de "
        "réponses."
    ),
    "text": gettext_lazy(
        "Si vous pensez que c’est une erreur, demandez-lui un nouveau lien. "
        "Merci de votre intérêt."
    ),
}
UNKNOWN_LINK = {
    "title": gettext_lazy("Lien introuvable"),
    "heading": gettext_lazy("Ce lien ne mène à aucun questionnaire"),
    "lead": gettext_lazy(
        "Il est peut-être incomplet (vérifiez qu’il a été copié en entier) ou il "
        "a été remplacé par un lien plus récent."
    ),
    "text": gettext_lazy("Demandez le lien à jour à la personne qui vous l’a envoyé."),
}


def _notice(request, notice: dict, status: int = 200):
    return render(request, "pulse/notice.html", {"notice": notice}, status=status)
