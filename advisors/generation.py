"""Realistic shared cases in bulk, for benchmarks and demonstrations.

Companies get French names, valid SIRENs, sectors, sizes and departments
weighted towards Occitanie; their outcomes are drawn per dimension and scored
with the real level rule; cases spread over organisations with realistic
statuses, assignees, history, notes and a few withdrawn shares. Deterministic
for a given seed. Rows are written with `bulk_create`, in batches.
"""

from __future__ import annotations

import random
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from itertools import pairwise

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from assessment.models import (
    CONSENT_VERSION,
    Answer,
    Assessment,
    Outcome,
    Question,
    Questionnaire,
    hash_token,
)
from assessment.scoring import level_for
from catalog.models import Department, Sector, SizeBand, StoneCategory

from . import tallies
from .models import (
    SHARE_CONSENT_VERSION,
    Case,
    Membership,
    Note,
    Organisation,
    StatusChange,
)

PREFIXES = (
    "Atelier", "Boulangerie", "Cabinet", "Domaine", "Garage", "Imprimerie",
    "Menuiserie", "Pharmacie", "Agence", "Transports", "Laboratoire", "Maison",
    "Société", "Quincaillerie", "Fromagerie", "Studio", "Bureau d’études",
)  # fmt: skip
NAMES = (
    "Durand", "Martin", "Garrigues", "Occitan", "du Lauragais", "des Cévennes",
    "Rouergat", "Catalan", "du Minervois", "Pyrénées", "de la Garonne", "Albigeois",
    "Castanet", "Vidal", "Fabre", "Roux", "Mas", "Bonnet", "Sud Numérique",
)  # fmt: skip
FIRST_NAMES = ("Claire", "Julien", "Sophie", "Karim", "Élodie", "Marc", "Inès", "Paul")
LAST_NAMES = ("Durand", "Vidal", "Fabre", "Benali", "Roux", "Garcia", "Petit", "Mas")
STONE_WORDS = (
    "Les devis me prennent mes soirées.",
    "On passe des heures à répondre aux mêmes courriels des clients.",
    "Les appels d’offres sont un enfer administratif.",
    "La saisie des factures fournisseurs n’en finit pas.",
    "Les comptes rendus de réunion ne sont jamais faits.",
    "Le planning des équipes change tous les jours.",
)
STATUS_WEIGHTS = {
    Case.Status.NEW: 30, Case.Status.IN_REVIEW: 25, Case.Status.PLAN_SENT: 20,
    Case.Status.FOLLOW_UP: 15, Case.Status.CLOSED: 10,
}  # fmt: skip
PATH = [Case.Status.NEW, Case.Status.IN_REVIEW, Case.Status.PLAN_SENT,
        Case.Status.FOLLOW_UP, Case.Status.CLOSED]  # fmt: skip
DIMENSIONS = ("strategy", "uses", "data", "skills", "cyber", "governance")
OCCITANIE = "76"
ORGANISATIONS = (
    ("CCI Occitanie", "chamber", OCCITANIE),
    ("AD'OCC", "agency", OCCITANIE),
    ("Cyber'Occ", "cyber", OCCITANIE),
    ("CCI Nouvelle-Aquitaine", "chamber", "75"),
    ("CCI Auvergne-Rhône-Alpes", "chamber", "84"),
)


def siren(rng: random.Random) -> str:
    """Nine digits passing the Luhn check, as SIRENs do."""
    digits = [rng.randrange(10) for _ in range(8)]
    total = 0
    for i, d in enumerate(reversed(digits)):  # the check digit will sit at the end
        d = d * 2 if i % 2 == 0 else d
        total += d - 9 if d > 9 else d
    return "".join(map(str, digits)) + str((10 - total % 10) % 10)


@dataclass
class Generated:
    organisations: int
    advisors: int
    cases: int
    seconds: float


def generate(
    count: int, *, organisations: int = 5, seed: int = 2026, batch: int = 5000,
    progress=None,
) -> Generated:  # fmt: skip
    """Create `count` submitted diagnostics, each shared with one organisation."""
    rng = random.Random(seed)
    started = time.monotonic()
    questionnaire = Questionnaire.objects.current()  # DoesNotExist: seeds missing
    stone_question = Question.objects.filter(
        questionnaire=questionnaire, code="stone.description"
    ).first()
    sectors = list(Sector.objects.all())
    sizes = list(SizeBand.objects.order_by("min_employees"))
    departments = list(Department.objects.select_related("region"))
    stones = list(StoneCategory.objects.values_list("slug", flat=True))
    if not (sectors and sizes and departments and stones):
        raise Questionnaire.DoesNotExist("load the seeds first: manage.py load_seeds")
    dept_weights = [6 if d.region.code == OCCITANIE else 1 for d in departments]
    size_weights = [40, 35, 18, 5, 2][: len(sizes)] + [1] * max(0, len(sizes) - 5)
    orgs, members = _organisations(rng, organisations, departments)
    now = timezone.now()
    done = 0
    while done < count:
        n = min(batch, count - done)
        with transaction.atomic():
            _batch(
                rng, n, done, questionnaire, stone_question, sectors, sizes,
                size_weights, departments, dept_weights, stones, orgs, members, now,
            )  # fmt: skip
        done += n
        if progress:
            progress(done, count, time.monotonic() - started)
    # Rows written in bulk bypass the workflow: recount what the statistics read.
    tallies.rebuild(Organisation.objects.filter(pk__in=[o.pk for o in orgs]))
    return Generated(
        len(orgs), sum(len(m) for m in members.values()), done,
        time.monotonic() - started,
    )  # fmt: skip


def _organisations(rng, count, departments):
    users = get_user_model().objects
    orgs, members = [], {}
    for i in range(count):
        name, kind, region = ORGANISATIONS[i % len(ORGANISATIONS)]
        if i >= len(ORGANISATIONS):
            name = f"{name} {i // len(ORGANISATIONS) + 1}"
        slug = f"gen-{i + 1}"
        org, _created = Organisation.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind}
        )
        org.departments.set([d for d in departments if d.region.code == region])
        orgs.append(org)
        members[org.pk] = []
        for j in range(4):
            user, _created = users.get_or_create(
                username=f"gen-{i + 1}-{j + 1}",
                defaults={
                    "first_name": rng.choice(FIRST_NAMES),
                    "last_name": rng.choice(LAST_NAMES),
                    "email": f"conseiller{j + 1}@{slug}.example.fr",
                },
            )
            Membership.objects.get_or_create(
                user=user,
                defaults={
                    "organisation": org,
                    "role": Membership.Role.ADMIN
                    if j == 0
                    else Membership.Role.ADVISOR,
                },
            )
            members[org.pk].append(user)
    return orgs, members


def _batch(rng, n, offset, questionnaire, stone_question, sectors, sizes,
           size_weights, departments, dept_weights, stones, orgs, members, now):  # fmt: skip
    assessments, profiles = [], []
    for i in range(n):
        submitted = now - timedelta(minutes=rng.randrange(60 * 24 * 730))
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        number = offset + i + 1
        assessments.append(
            Assessment(
                questionnaire=questionnaire,
                token_hash=hash_token(secrets.token_urlsafe(18)),
                status=Assessment.Status.SUBMITTED,
                submitted_at=submitted,
                company_name=f"{rng.choice(PREFIXES)} {rng.choice(NAMES)} {number}",
                siren=siren(rng),
                sector=rng.choice(sectors),
                size_band=rng.choices(sizes, size_weights)[0],
                department=rng.choices(departments, dept_weights)[0],
                respondent_name=f"{first} {last}",
                respondent_email=f"contact{number}@example.fr",
                respondent_role="Gérant" if rng.random() < 0.6 else "Directrice",
                consent_at=submitted,
                consent_version=CONSENT_VERSION,
            )
        )
        profiles.append(submitted)
    Assessment.objects.bulk_create(assessments)
    outcomes, answers, shares = [], [], []
    for assessment in assessments:
        bias = assessment.size_band.min_employees > 50
        scores = {
            d: max(0, min(100, round(rng.gauss(48 + (8 if bias else 0), 18))))
            for d in DIMENSIONS
        }
        overall = round(sum(scores.values()) / len(scores))
        outcomes.append(
            Outcome(
                assessment=assessment,
                overall=overall,
                level=level_for(overall).rank,
                stone_category=rng.choice(stones) if rng.random() < 0.9 else "",
                sector=assessment.sector,
                size_band=assessment.size_band,
                **scores,
            )  # fmt: skip
        )
        if stone_question and rng.random() < 0.5:
            answers.append(
                Answer(
                    assessment=assessment,
                    question=stone_question,
                    value=rng.choice(STONE_WORDS),
                )  # fmt: skip
            )
        org = rng.choice(orgs)
        status = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
        assignee = None
        if status != Case.Status.NEW and rng.random() < 0.8:
            assignee = rng.choice(members[org.pk])
        shares.append(
            Case(
                assessment=assessment,
                organisation=org,
                status=status,
                assignee=assignee,
                consent_text="(généré)",
                consent_version=SHARE_CONSENT_VERSION,
                withdrawn_at=now if rng.random() < 0.02 else None,
            )  # fmt: skip
        )
    Outcome.objects.bulk_create(outcomes)
    Answer.objects.bulk_create(answers)
    Case.objects.bulk_create(shares)
    # auto_now_add ignores given values: date the shares after their diagnostics.
    history, notes = [], []
    for case, submitted in zip(shares, profiles, strict=True):
        case.shared_at = submitted + timedelta(hours=rng.randrange(1, 72))
        steps = PATH[: PATH.index(case.status) + 1]
        for before, after in pairwise(steps):
            history.append(
                StatusChange(
                    case=case, from_status=before, to_status=after, by=case.assignee
                )  # fmt: skip
            )
        if case.status != Case.Status.NEW and rng.random() < 0.3:
            notes.append(Note(case=case, author=case.assignee, text="Appel fait."))
    Case.objects.bulk_update(shares, ["shared_at"])
    StatusChange.objects.bulk_create(history)
    Note.objects.bulk_create(notes)
