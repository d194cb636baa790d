"""One realistic company, shared by the benchmarks: an accounting firm near Toulouse."""

from __future__ import annotations

PROFILE_CODES = {"sector": "finance", "size_band": "small", "department": "31"}

ANSWERS = {
    "company.activity": "Cabinet d’expertise comptable pour les PME",
    "company.customers": "businesses",
    "company.tools": ["email", "office", "accounting"],
    "stone.sinks": ["appels-offres", "emails-questions-clients", "saisie-donnees"],
    "stone.appels-offres.hours": 12,
    "stone.appels-offres.people": 3,
    "stone.emails-questions-clients.hours": 3,
    "stone.emails-questions-clients.people": 5,
    "stone.saisie-donnees.hours": 4,
    "stone.saisie-donnees.people": 2,
    "stone.description": "Nous répondons à des appels d’offres publics qui demandent "
    "des dizaines de pièces, il manque toujours un document, et les clients nous "
    "écrivent sans cesse pour les mêmes questions.",
    "stone.confirmed": "appels-offres",  # the task the owner confirms from their words
    "uses.owner-frequency": "1",
    "uses.team": "few",
    "uses.unofficial": "yes-unframed",
    "uses.tools": ["writing"],
    "uses.gains": "1",
    "data.shared": "2",
    "data.quality": "2",
    "data.paper": "mixed",
    "data.personal": "yes",
    "skills.trained": "none",
    "skills.prompting": "1",
    "skills.learning": "2",
    "skills.time": "some",
    "cyber.backups": "regular",
    "cyber.mfa": "some",
    "cyber.updates": "2",
    "cyber.incident": "no",
    "cyber.who-to-call": "no",
    "cyber.sovereignty": "2",
    "governance.policy": "none",
    "governance.referent": "no",
    "governance.review": "2",
    "governance.rules": "1",
    "governance.commitments": ["none"],
    "ambition.priority": "2",
    "ambition.goals": ["time", "quality"],
    "ambition.budget": "under-1k",
    "ambition.start": "3-months",
    "ambition.funding": "no",
}


def profile() -> dict:
    """The profile `start_assessment` takes, with catalogue rows looked up."""
    from catalog.models import Department, Sector, SizeBand

    return {
        "company_name": "Cabinet Banc d’Essai",
        "sector": Sector.objects.get(slug=PROFILE_CODES["sector"]),
        "size_band": SizeBand.objects.get(code=PROFILE_CODES["size_band"]),
        "department": Department.objects.get(code=PROFILE_CODES["department"]),
        "respondent_name": "Claire Banc",
        "respondent_email": "claire@example.fr",
        "respondent_role": "Gérante",
    }
