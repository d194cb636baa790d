"""What the action plan says: its template context, from the diagnostic's modules.

Nothing here scores or recommends: `result_for` does, and this module only
arranges its result (and a few catalogue details) for the printed page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from assessment import explanations, matching, pulse, results, scoring
from assessment.adjusting import Adjustments, adjust
from assessment.radar import radar_svg
from catalog.models import Citation, Programme, Provider, Source, UseCase

from .models import Report

FIRST_ACTIONS = 3

NEXT_STEPS = {
    "funding": gettext_lazy("Monter le dossier de demande avec %(operator)s."),
    "accompaniment": gettext_lazy("Prendre rendez-vous avec %(operator)s."),
    "training": gettext_lazy("S’inscrire auprès de %(operator)s."),
    "incident_response": gettext_lazy(
        "Garder ce contact à portée de main : %(operator)s."
    ),
}
DEFAULT_NEXT_STEP = gettext_lazy("Contacter %(operator)s.")


@dataclass(frozen=True)
class CheckItem:
    label: str
    done: bool


def build_context(report: Report) -> dict:
    """Everything the plan shows, in the active language."""
    assessment = report.assessment
    adjustments = Adjustments.from_json(report.adjustments)
    result = adjust(
        results.result_for(assessment), adjustments, matching.load_catalogue()
    )
    answers = results.answers_of(assessment)
    before = results.previous_scorecard(assessment)
    recs = result.recommendations
    return {
        "report": report,
        "assessment": assessment,
        "answers": results.own_words(answers),
        "generated_on": timezone.localdate(),
        "result": result,
        "level": result.scorecard.level,
        "levels": scoring.LEVELS,
        "stone": result.stone,
        "first_actions": first_actions(result.roadmap),
        "radar": radar_svg(
            result.scorecard.dimensions,
            previous=before.dimensions if before else None,
            id_prefix="plan-radar",
        ),
        "dimensions": explanations.dimension_rows(result.scorecard, before),
        "use_cases": recs.use_cases,
        "phases": result.roadmap,
        "programmes": with_next_steps(recs.programmes),
        "training": with_next_steps(recs.training),
        "providers": with_websites(recs.providers),
        "checklist": cyber_checklist(answers),
        "sources": cited_sources(recs),
        "advice": adjustments.advice,
        "pulse": pulse.report_section(assessment),
    }


def annex_context() -> dict:
    """The annex: the same for every company, in the active language."""
    return {
        "language": get_language(),
        "levels": scoring.LEVELS,
        "dimensions": [
            {"label": scoring.dimension_label(code), "measures": measures}
            for code, measures in explanations.MEASURES.items()
        ],
    }


def first_actions(phases) -> list:
    return [action for phase in phases for action in phase.actions][:FIRST_ACTIONS]


def with_next_steps(recs) -> list[dict]:
    """Programmes with what to do next and where to go, from the catalogue."""
    found = Programme.objects.in_bulk([r.slug for r in recs], field_name="slug")
    rows = []
    for rec in recs:
        programme = found.get(rec.slug)
        operator = rec.details.get("operator") or rec.name
        step = NEXT_STEPS.get(programme.kind if programme else "", DEFAULT_NEXT_STEP)
        rows.append(
            {
                "rec": rec,
                "next_step": step % {"operator": operator},
                "website": programme.url if programme else "",
                "eligibility": programme.eligibility if programme else "",
            }
        )
    return rows


def with_websites(recs) -> list[dict]:
    found = Provider.objects.in_bulk([r.slug for r in recs], field_name="slug")
    return [
        {"rec": r, "website": found[r.slug].url if r.slug in found else ""}
        for r in recs
    ]


def cyber_checklist(answers: dict) -> list[CheckItem]:
    """The security basics, ticked where the answers say they are in place."""

    def at_least(code: str, level: int) -> bool:
        return str(answers.get(code, "0")).isdigit() and int(answers[code]) >= level

    return [
        CheckItem(
            _(
                "Sauvegarde quotidienne, dont une copie hors ligne, et restauration testée"
            ),
            answers.get("cyber.backups") == "tested",
        ),
        CheckItem(
            _("Double authentification sur la messagerie et tous les outils en ligne"),
            answers.get("cyber.mfa") == "all",
        ),
        CheckItem(
            _("Mises à jour des ordinateurs, téléphones et logiciels sans tarder"),
            at_least("cyber.updates", 3),
        ),
        CheckItem(
            _("Savoir qui appeler en cas de cyberattaque (Cyber’Occ, 17Cyber)"),
            answers.get("cyber.who-to-call") == "yes",
        ),
        CheckItem(
            _("Données hébergées par un acteur français ou européen de confiance"),
            at_least("cyber.sovereignty", 3),
        ),
        CheckItem(
            _(
                "Une règle d’usage de l’IA écrite : outils autorisés, données interdites"
            ),
            answers.get("governance.policy") == "written",
        ),
        CheckItem(
            _("Un référent IA nommé, qui suit les usages de l’équipe"),
            answers.get("governance.referent") == "yes",
        ),
        CheckItem(
            _("Les contenus produits par l’IA relus par une personne"),
            at_least("governance.review", 3),
        ),
    ]


def cited_sources(recs) -> list[Source]:
    """The documents behind the recommended use cases, programmes and providers."""
    groups = (
        (UseCase, recs.use_cases),
        (Programme, (*recs.programmes, *recs.training)),
        (Provider, recs.providers),
    )
    ids = set()
    for model, chosen in groups:
        pks = model.objects.filter(slug__in=[r.slug for r in chosen]).values("pk")
        ids.update(
            Citation.objects.filter(
                content_type=ContentType.objects.get_for_model(model),
                object_id__in=pks,
            ).values_list("source_id", flat=True)
        )
    return list(Source.objects.filter(pk__in=ids).order_by("file_name"))
