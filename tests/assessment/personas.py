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


# --- Ten more owners, for the rules of advice (test_advice_personas.py) ----------

PLUMBER_IN_LILLE = {
    "company": Company(sector="batiment", size_band="micro", department="59", region="32"),
    "answers": BASE | {
        "company.activity": "Plomberie et chauffage, dépannage chez les particuliers",
        "company.customers": "consumers",
        "stone.sinks": ["devis-facturation", "emails-questions-clients"],
        "stone.devis-facturation.hours": 6,
        "stone.devis-facturation.people": 1,
        "stone.emails-questions-clients.hours": 2,
        "stone.emails-questions-clients.people": 1,
        "stone.description": "Je passe mes soirées à faire les devis et relancer les factures.",
    },
}  # fmt: skip

ACCOUNTANT_SECURED_IN_MONTPELLIER = {
    "company": Company(sector="services-professionnels", size_band="small", department="34", region="76"),
    "answers": BASE | {
        "company.activity": "Cabinet d’expertise comptable",
        "company.tools": ["email", "office", "shared-drive", "accounting"],
        "stone.sinks": ["saisie-donnees", "emails-questions-clients"],
        "stone.saisie-donnees.hours": 8,
        "stone.saisie-donnees.people": 6,
        "stone.emails-questions-clients.hours": 3,
        "stone.emails-questions-clients.people": 4,
        "stone.description": "La saisie des pièces comptables de nos clients nous prend un temps fou.",
        "cyber.backups": "tested", "cyber.mfa": "all", "cyber.updates": "4",
        "cyber.who-to-call": "yes", "cyber.sovereignty": "3",
        "ambition.budget": "1k-10k",
    },
}  # fmt: skip

AEROSPACE_SUPPLIER_ATTACKED = {
    "company": Company(
        sector="aeronautique-spatial", size_band="medium", department="31", region="76",
        concerns={"cloud": "Depuis l’attaque, on n’ose plus rien mettre dans le cloud."},
    ),
    "answers": BASE | {
        "company.activity": "Sous-traitant aéronautique, usinage de pièces",
        "stone.sinks": ["appels-offres", "gestion-documentaire"],
        "stone.appels-offres.hours": 10,
        "stone.appels-offres.people": 4,
        "stone.gestion-documentaire.hours": 4,
        "stone.gestion-documentaire.people": 10,
        "stone.description": "Les dossiers de réponse aux donneurs d’ordre et la "
        "documentation qualité nous noient. Depuis l’attaque, on n’ose plus rien "
        "mettre dans le cloud.",
        "cyber.backups": "occasional", "cyber.mfa": "some", "cyber.incident": "major",
        "cyber.incident-help": "no",
        "ambition.budget": "over-10k", "ambition.funding": "known",
    },
}  # fmt: skip

RESTAURANT_IN_NANTES_WITHOUT_BUDGET = {
    "company": Company(sector="hotellerie-restauration", size_band="micro", department="44", region="52"),
    "answers": BASE | {
        "company.activity": "Restaurant traditionnel, 40 couverts",
        "company.customers": "consumers",
        "company.tools": ["email"],
        "stone.sinks": ["planification-rendez-vous"],
        "stone.planification-rendez-vous.hours": 5,
        "stone.planification-rendez-vous.people": 2,
        "stone.description": "Les réservations par téléphone et les plannings du personnel.",
        "skills.prompting": "0", "cyber.backups": "none", "cyber.mfa": "none",
        "ambition.budget": "none", "ambition.priority": "1",
    },
}  # fmt: skip

AI_STARTUP_IN_TOULOUSE = {
    "company": Company(sector="numerique", size_band="micro", department="31", region="76"),
    "answers": BASE | {
        "company.activity": "Start-up d’intelligence artificielle pour la maintenance prédictive",
        "company.tools": ["email", "office", "shared-drive", "crm"],
        "uses.owner-frequency": "4", "uses.team": "most", "uses.unofficial": "yes-framed",
        "uses.tools": ["code", "writing", "data-analysis"], "uses.gains": "3",
        "data.shared": "4", "data.quality": "4", "data.paper": "digital",
        "skills.trained": "most", "skills.prompting": "4", "skills.learning": "4",
        "skills.time": "yes",
        "cyber.backups": "tested", "cyber.mfa": "all", "cyber.updates": "4",
        "cyber.who-to-call": "yes", "cyber.sovereignty": "3",
        "governance.policy": "written", "governance.referent": "yes",
        "governance.review": "4", "governance.rules": "3",
        "governance.commitments": ["charter"],
        "ambition.priority": "4", "ambition.goals": ["offers", "time"],
        "ambition.budget": "over-10k", "ambition.start": "now",
        "stone.sinks": ["developpement-logiciel", "appels-offres"],
        "stone.developpement-logiciel.hours": 10,
        "stone.developpement-logiciel.people": 4,
        "stone.appels-offres.hours": 4,
        "stone.appels-offres.people": 1,
        "stone.description": "Nos développeurs écrivent des tests et du code répétitif.",
    },
}  # fmt: skip

SOFTWARE_PUBLISHER_IN_PARIS = {
    "company": Company(sector="numerique", size_band="medium", department="75", region="11"),
    "answers": BASE | {
        "company.activity": "Éditeur de logiciels de gestion pour les collectivités",
        "uses.owner-frequency": "3", "uses.team": "half", "uses.unofficial": "yes-framed",
        "skills.trained": "some", "skills.prompting": "3",
        "cyber.backups": "tested", "cyber.mfa": "all", "cyber.updates": "3",
        "cyber.who-to-call": "yes", "cyber.sovereignty": "3",
        "governance.policy": "written", "governance.referent": "yes",
        "governance.review": "3", "governance.rules": "3",
        "ambition.goals": ["offers"], "ambition.budget": "over-10k",
        "stone.sinks": ["developpement-logiciel"],
        "stone.developpement-logiciel.hours": 8,
        "stone.developpement-logiciel.people": 30,
        "stone.description": "Écrire les tests et la documentation du code.",
    },
}  # fmt: skip

CLINIC_IN_MONTPELLIER = {
    "company": Company(sector="sante", size_band="small", department="34", region="76"),
    "answers": BASE | {
        "company.activity": "Centre de kinésithérapie et de rééducation",
        "company.customers": "consumers",
        "data.personal": "yes",
        "stone.sinks": ["comptes-rendus-reunion", "planification-rendez-vous"],
        "stone.comptes-rendus-reunion.hours": 5,
        "stone.comptes-rendus-reunion.people": 8,
        "stone.planification-rendez-vous.hours": 3,
        "stone.planification-rendez-vous.people": 2,
        "stone.description": "Rédiger les comptes rendus de séance après chaque patient.",
        "ambition.budget": "1k-10k",
    },
}  # fmt: skip

HAULIER_IN_LYON_ALREADY_ADVANCED = {
    "company": Company(sector="logistique", size_band="medium", department="69", region="84"),
    "answers": BASE | {
        "company.activity": "Transport routier de marchandises et entreposage",
        "company.tools": ["email", "office", "shared-drive", "erp"],
        "uses.owner-frequency": "3", "uses.team": "half", "uses.unofficial": "yes-framed",
        "uses.tools": ["writing", "data-analysis"], "uses.gains": "3",
        "data.shared": "3", "data.quality": "3", "data.paper": "digital",
        "skills.trained": "some", "skills.prompting": "3", "skills.learning": "3",
        "cyber.backups": "tested", "cyber.mfa": "all", "cyber.updates": "4",
        "cyber.who-to-call": "yes", "cyber.sovereignty": "4",
        "governance.policy": "written", "governance.referent": "yes",
        "governance.review": "4", "governance.rules": "3",
        "ambition.priority": "3", "ambition.budget": "1k-10k", "ambition.funding": "used",
        "stone.sinks": ["saisie-donnees"],
        "stone.saisie-donnees.hours": 6,
        "stone.saisie-donnees.people": 5,
        "stone.description": "Ressaisir les lettres de voiture et les bons de livraison.",
    },
}  # fmt: skip

WINE_ESTATE_NEAR_BORDEAUX_WITH_SHADOW_AI = {
    "company": Company(sector="agriculture", size_band="micro", department="33", region="75"),
    "answers": BASE | {
        "company.activity": "Château viticole, vente aux particuliers et à l’export",
        "uses.owner-frequency": "3", "uses.team": "few", "uses.unofficial": "yes-unframed",
        "uses.tools": ["writing", "translation"],
        "stone.sinks": ["contenus-marketing"],
        "stone.contenus-marketing.hours": 4,
        "stone.contenus-marketing.people": 2,
        "stone.description": "Les fiches produits, les newsletters et les posts pour l’export.",
    },
}  # fmt: skip

SHOP_IN_PERPIGNAN_WITHOUT_HOURS = {
    "company": Company(sector="commerce", size_band="small", department="66", region="76"),
    "answers": BASE | {
        "company.activity": "Magasin de cycles et atelier de réparation",
        "company.customers": "consumers",
        "stone.sinks": ["gestion-documentaire"],
        "stone.gestion-documentaire.hours": 0,
        "stone.gestion-documentaire.people": 2,
        "stone.description": "On ne retrouve jamais les factures fournisseurs.",
        "ambition.budget": "none", "ambition.funding": "used",
    },
}  # fmt: skip

ADVICE_PERSONAS = {
    "plumber-lille": PLUMBER_IN_LILLE,
    "accountant-montpellier": ACCOUNTANT_SECURED_IN_MONTPELLIER,
    "aerospace-attacked": AEROSPACE_SUPPLIER_ATTACKED,
    "restaurant-nantes": RESTAURANT_IN_NANTES_WITHOUT_BUDGET,
    "ai-startup-toulouse": AI_STARTUP_IN_TOULOUSE,
    "software-paris": SOFTWARE_PUBLISHER_IN_PARIS,
    "clinic-montpellier": CLINIC_IN_MONTPELLIER,
    "haulier-lyon": HAULIER_IN_LYON_ALREADY_ADVANCED,
    "wine-bordeaux": WINE_ESTATE_NEAR_BORDEAUX_WITH_SHADOW_AI,
    "shop-perpignan": SHOP_IN_PERPIGNAN_WITHOUT_HOURS,
}
