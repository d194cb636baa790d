"""Five companies used across the diagnostic tests, answered in full."""

from assessment.matching import Company

BASE = {
    "company.activity": "",
    "company.customers": "businesses",
    "company.tools": ["email", "office"],
    "uses.owner-frequency": "1",
    "uses.team": "none",
    "uses.unofficial": "no",
    "uses.tools": ["none"],
    "data.shared": "2",
    "data.quality": "2",
    "data.paper": "mixed",
    "data.personal": "no",
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
    "ambition.goals": ["time"],
    "ambition.budget": "under-1k",
    "ambition.start": "3-months",
    "ambition.funding": "no",
}

ACCOUNTING_FIRM = {
    "company": Company(sector="finance", size_band="small", department="31", region="76"),
    "answers": BASE | {
        "company.activity": "Cabinet d’expertise comptable pour les PME",
        "stone.sinks": ["appels-offres", "emails-questions-clients"],
        "stone.appels-offres.hours": 12,
        "stone.appels-offres.people": 3,
        "stone.emails-questions-clients.hours": 3,
        "stone.emails-questions-clients.people": 5,
        "stone.description": "Nous répondons à des appels d’offres publics qui demandent "
        "des dizaines de pièces, et il nous manque toujours un document.",
        "cyber.backups": "tested", "cyber.mfa": "all", "cyber.who-to-call": "yes",
        "governance.policy": "written",
    },
}  # fmt: skip

VINEYARD = {
    "company": Company(sector="agriculture", size_band="micro", department="34", region="76"),
    "answers": BASE | {
        "company.activity": "Domaine viticole avec caveau de vente et œnotourisme",
        "company.customers": "both",
        "stone.sinks": ["emails-questions-clients", "devis-facturation"],
        "stone.emails-questions-clients.hours": 6,
        "stone.emails-questions-clients.people": 2,
        "stone.devis-facturation.hours": 2,
        "stone.devis-facturation.people": 1,
        "stone.description": "Le soir je réponds aux mails des clients et des cavistes, "
        "et aux questions sur les visites.",
    },
}  # fmt: skip

MANUFACTURER_AFTER_INCIDENT = {
    "company": Company(sector="industrie", size_band="medium", department="30", region="76"),
    "answers": BASE | {
        "company.activity": "Fabrication de pièces mécaniques de précision",
        "stone.sinks": ["saisie-donnees", "incidents-informatiques-cyber"],
        "stone.saisie-donnees.hours": 5,
        "stone.saisie-donnees.people": 6,
        "stone.incidents-informatiques-cyber.hours": 4,
        "stone.incidents-informatiques-cyber.people": 2,
        "stone.description": "Depuis le rançongiciel, nous ressaisissons les commandes à la main.",
        "cyber.backups": "none", "cyber.mfa": "none", "cyber.updates": "0",
        "cyber.incident": "major", "cyber.incident-help": "no",
    },
}  # fmt: skip

SHOP_WITHOUT_DIGITAL_TOOLS = {
    "company": Company(sector="commerce", size_band="micro", department="12", region="76"),
    "answers": BASE | {
        "company.activity": "Quincaillerie de centre-bourg",
        "company.customers": "consumers",
        "company.tools": ["none"],
        "uses.owner-frequency": "0",
        "data.shared": "0", "data.quality": "1", "data.paper": "paper",
        "skills.prompting": "0", "skills.learning": "1", "skills.time": "no",
        "cyber.backups": "none", "cyber.mfa": "none", "cyber.updates": "1",
        "cyber.sovereignty": "0",
        "governance.review": "0", "governance.rules": "0",
        "ambition.priority": "1", "ambition.budget": "none", "ambition.start": "later",
        "stone.sinks": ["devis-facturation"],
        "stone.devis-facturation.hours": 5,
        "stone.devis-facturation.people": 1,
        "stone.description": "Je fais mes devis et mes factures à la main le dimanche.",
    },
}  # fmt: skip

SOFTWARE_COMPANY_WITH_SHADOW_AI = {
    "company": Company(sector="numerique", size_band="small", department="31", region="76"),
    "answers": BASE | {
        "company.activity": "Éditeur de logiciels de gestion pour les artisans",
        "company.tools": ["email", "office", "shared-drive", "crm"],
        "uses.owner-frequency": "4", "uses.team": "most", "uses.unofficial": "yes-unframed",
        "uses.tools": ["writing", "code", "meeting-notes"], "uses.gains": "2",
        "data.shared": "4", "data.quality": "3", "data.paper": "digital",
        "skills.trained": "some", "skills.prompting": "3", "skills.learning": "4",
        "cyber.backups": "tested", "cyber.mfa": "all", "cyber.updates": "4",
        "cyber.who-to-call": "yes", "cyber.sovereignty": "3",
        "ambition.priority": "4", "ambition.budget": "over-10k", "ambition.funding": "used",
        "ambition.goals": ["time", "offers"],
        "stone.sinks": ["developpement-logiciel", "comptes-rendus-reunion"],
        "stone.developpement-logiciel.hours": 10,
        "stone.developpement-logiciel.people": 8,
        "stone.comptes-rendus-reunion.hours": 3,
        "stone.comptes-rendus-reunion.people": 8,
        "stone.description": "Les développeurs écrivent beaucoup de code répétitif et de tests.",
    },
}  # fmt: skip
