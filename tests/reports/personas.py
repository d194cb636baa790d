"""Submitted diagnostics for the five personas: shared by the tests and the bench."""

from assessment.answering import save_answers, start_assessment, submit
from catalog.models import Department, Sector, SizeBand
from tests.assessment import personas

PERSONAS = {
    "Cabinet Durand Expertise": personas.ACCOUNTING_FIRM,
    "Domaine des Garrigues": personas.VINEYARD,
    "Mécanique de précision Gardoise": personas.MANUFACTURER_AFTER_INCIDENT,
    "Quincaillerie Rouergate": personas.SHOP_WITHOUT_DIGITAL_TOOLS,
    "Logiciels Artisans Occitanie": personas.SOFTWARE_COMPANY_WITH_SHADOW_AI,
}


def submitted_assessment(persona: dict, company_name: str, **profile):
    """A submitted diagnostic for a persona; returns (assessment, token)."""
    company = persona["company"]
    assessment, token = start_assessment(
        profile={
            "company_name": company_name,
            "sector": Sector.objects.get(slug=company.sector),
            "size_band": SizeBand.objects.get(code=company.size_band),
            "department": Department.objects.get(code=company.department),
            "respondent_name": "Claire Durand",
            "respondent_email": "claire@example.fr",
            "respondent_role": "Gérante",
            **profile,
        }
    )
    errors = save_answers(assessment, persona["answers"])
    assert not errors, errors
    errors = submit(assessment)
    assert not errors, errors
    assessment.refresh_from_db()
    return assessment, token
