"""The owner's copy of their data (right of access and portability), as JSON.

It covers the same diagnostics as an erasure (`erasure.linked`): everything
stored about the company and the respondent, the answers, the scores, the PDF
plans' records, and the rows other apps attach to a diagnostic.
"""

from __future__ import annotations

import json

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from advisors.cases import changes_of
from assessment import scoring
from assessment.models import Answer, Assessment
from assessment.questionnaire import spec_for
from assessment.results import answers_of
from reports.models import Report

FORMAT = "caillou-personal-data/1"
# Relations exported in their own section, not among "other records".
OWN_SECTIONS = {Answer, Report, Assessment}


def export_data(assessments: list[Assessment]) -> dict:
    return {
        "format": FORMAT,
        "exported_at": timezone.now(),
        "diagnostics": [diagnostic_data(a) for a in assessments],
    }


def export_json(assessments: list[Assessment]) -> str:
    """`export_data` as readable JSON (dates in ISO 8601, accents as they are)."""
    return json.dumps(
        export_data(assessments), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    )


def diagnostic_data(assessment: Assessment) -> dict:
    answers = answers_of(assessment)
    return {
        "id": assessment.pk,
        "status": assessment.status,
        "language": assessment.language,
        "questionnaire_version": assessment.questionnaire.version,
        "previous_id": assessment.previous_id,
        "created_at": assessment.created_at,
        "updated_at": assessment.updated_at,
        "submitted_at": assessment.submitted_at,
        "company": {
            "name": assessment.company_name,
            "siren": assessment.siren,
            "sector": assessment.sector.name,
            "size_band": assessment.size_band.name,
            "department": assessment.department.name,
            "revenue_band": assessment.revenue_band,
        },
        "respondent": {
            "name": assessment.respondent_name,
            "email": assessment.respondent_email,
            "role": assessment.respondent_role,
        },
        "consent": {
            "given_at": assessment.consent_at,
            "text_version": assessment.consent_version,
        },
        "hourly_cost": assessment.hourly_cost,
        "working_weeks": assessment.working_weeks,
        "answers": answers,
        "scores": _scores(assessment, answers),
        "reports": [_report_data(r) for r in assessment.reports.order_by("version")],
        "advisor_changes": _advisor_changes(assessment),
        "other_records": other_records(assessment),
    }


def _scores(assessment: Assessment, answers: dict) -> dict | None:
    if not assessment.is_submitted():
        return None
    card = scoring.score(spec_for(assessment.questionnaire), answers)
    return {"overall": card.overall, "dimensions": card.dimensions}


def _report_data(report: Report) -> dict:
    return {
        "version": report.version,
        "language": report.language,
        "status": report.status,
        "requested_at": report.queued_at,
        "finished_at": report.finished_at,
        "size": report.size,
        "pages": report.page_count,
        "sha256": report.checksum or None,
        "advisor_changes": {
            "items": [change.to_json() for change in report.plan_changes],
            "advice": list(report.plan_adjustments.advice),
        },
    }


def _advisor_changes(assessment: Assessment) -> list[dict]:
    """What each organisation it was shared with changed in the plan, and why."""
    shared = assessment.cases.select_related("organisation").order_by("shared_at")
    found = [(case, changes_of(case)) for case in shared]
    return [
        {**changes.to_json(), "withdrawn": case.withdrawn_at is not None}
        for case, changes in found
        if changes
    ]


def other_records(assessment: Assessment) -> dict[str, list[dict]]:
    """Rows of other apps pointing at the diagnostic, by model (e.g. shares)."""
    found = {}
    for relation in Assessment._meta.related_objects:
        model = relation.related_model
        if model in OWN_SECTIONS:
            continue
        rows = model._default_manager.filter(**{relation.field.name: assessment})
        if rows.exists():
            found[model._meta.label_lower] = serializers.serialize("python", rows)
    return found
