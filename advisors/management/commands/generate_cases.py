"""Realistic shared cases in bulk: `manage.py generate_cases --count 100000`.

For benchmarks and demonstrations, never loaded by the running site.
Companies get French names, valid SIRENs, sectors, sizes and departments
weighted towards Occitanie; each answers the whole current questionnaire
(more mature answers for a more mature company), and its `Outcome` is scored
from those answers by the diagnostic's own functions, so the queue, the case
page and the plan read the same score. Cases spread over organisations with
realistic statuses, assignees, history, notes and a few withdrawn shares.
Deterministic for a given seed. Rows are written with `bulk_create`, in batches.
"""

from __future__ import annotations

import random
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from itertools import pairwise

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from advisors import tallies
from advisors.models import (
    SHARE_CONSENT_VERSION,
    Case,
    Membership,
    Note,
    Organisation,
    StatusChange,
)
from assessment import scoring, stone
from assessment.catalogue import load_catalogue
from assessment.models import (
    CONSENT_VERSION,
    DEFAULT_HOURLY_COST,
    DEFAULT_WORKING_WEEKS,
    Answer,
    Assessment,
    Outcome,
    Questionnaire,
    hash_token,
)
from assessment.questionnaire import Kind, clean_answer, is_visible, spec_for
from assessment.results import outcome_values
from catalog.models import Department, Sector, SizeBand
from config import cache_keys

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
ACTIVITIES = (
    "Boulangerie-pâtisserie artisanale", "Cabinet d’expertise comptable",
    "Négoce de vins et spiritueux", "Menuiserie et agencement sur mesure",
    "Transport routier de marchandises", "Agence de communication",
    "Maintenance industrielle", "Commerce de détail en ligne",
)  # fmt: skip
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
    count: int, *, organisations: int = 5, seed: int = 2026, batch: int = 1000,
    progress=None,
) -> Generated:  # fmt: skip
    """Create `count` submitted diagnostics, each shared with one organisation."""
    rng = random.Random(seed)
    started = time.monotonic()
    questionnaire = Questionnaire.objects.current()
    if questionnaire is None:
        raise Questionnaire.DoesNotExist("load the seeds first: manage.py load_seeds")
    spec = spec_for(questionnaire)
    sectors = list(Sector.objects.all())
    sizes = list(SizeBand.objects.order_by("min_employees"))
    departments = list(Department.objects.select_related("region"))
    if not (sectors and sizes and departments):
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
                rng, n, done, questionnaire, spec, sectors, sizes,
                size_weights, departments, dept_weights, orgs, members, now,
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


def _batch(rng, n, offset, questionnaire, spec, sectors, sizes,
           size_weights, departments, dept_weights, orgs, members, now):  # fmt: skip
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
    categories = list(load_catalogue().stone_categories)
    question_ids = dict(questionnaire.questions.values_list("code", "pk"))
    for assessment in assessments:
        bias = 0.1 if assessment.size_band.min_employees > 50 else 0.0
        maturity = min(1.0, max(0.0, rng.gauss(0.45 + bias, 0.2)))
        values = draw_answers(spec, rng, maturity)
        answers += [
            Answer(
                assessment=assessment,
                question_id=question_ids[code],
                value=value,
            )
            for code, value in values.items()
        ]
        found = stone.find_stone(
            values, categories,
            hourly_cost=float(DEFAULT_HOURLY_COST), working_weeks=DEFAULT_WORKING_WEEKS,
        )  # fmt: skip
        outcomes.append(
            Outcome(
                assessment=assessment,
                sector=assessment.sector,
                size_band=assessment.size_band,
                **outcome_values(scoring.score(spec, values), found),
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
    cache_keys.peers_changed()  # bulk_create sends no signal
    Answer.objects.bulk_create(answers)
    for case in shares:  # bulk_create does not call save(), which copies them
        case.copy_facets()
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


def draw_answers(spec, rng: random.Random, maturity: float) -> dict:
    """A full set of answers, as the questionnaire stores them.

    `maturity` (0–1) leans the choices towards those worth more points.
    Conditional questions are drawn only when the earlier answers show them.
    """
    answers = {}
    for section in spec.sections:
        for question in section.questions:
            if is_visible(question, answers):
                value = clean_answer(question, _draw(question, rng, maturity))
                if value is not None:
                    answers[question.code] = value
    return answers


def _draw(question, rng, maturity):
    if question.kind in (Kind.SINGLE, Kind.SCALE):
        return _draw_one(question.choices, rng, maturity)
    if question.kind == Kind.MULTIPLE:
        return _draw_many(question, rng, maturity)
    if question.kind == Kind.NUMBER:
        return _draw_number(question, rng)
    if question.code == "company.activity":
        return rng.choice(ACTIVITIES)
    return rng.choice(STONE_WORDS) if question.kind == Kind.LONG_TEXT else ""


def _draw_one(choices, rng, maturity):
    ranked = sorted(choices, key=lambda c: c.points)
    if ranked[0].points == ranked[-1].points:  # no points: any answer is as likely
        return rng.choice(ranked).code
    step = round(rng.gauss(maturity * (len(ranked) - 1), 0.8))
    return ranked[min(len(ranked) - 1, max(0, step))].code


def _draw_many(question, rng, maturity):
    open_choices = [c for c in question.choices if not c.exclusive]
    chance = 0.15 + 0.6 * maturity if question.dimension else 0.25
    picked = [c.code for c in open_choices if rng.random() < chance]
    limit = question.max_choices or len(open_choices)
    if len(picked) > limit:
        picked = rng.sample(picked, limit)
    if picked:
        return picked
    exclusive = [c.code for c in question.choices if c.exclusive]
    return exclusive[:1] or [rng.choice(open_choices).code]


def _draw_number(question, rng):
    low = int(question.min_value or 0)
    high = int(question.max_value) if question.max_value is not None else low + 20
    top = 15 if question.code.endswith(".hours") else 8
    return rng.randint(low, max(low, min(high, low + top)))


class Command(BaseCommand):
    help = "Create submitted diagnostics shared with organisations (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100_000)
        parser.add_argument("--organisations", type=int, default=5)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--batch", type=int, default=1000)

    def handle(self, *args, count, organisations, seed, batch, **options):
        if count < 1 or organisations < 1 or batch < 1:
            raise CommandError("--count, --organisations and --batch must be ≥ 1.")

        def progress(done, total, seconds):
            self.stdout.write(f"{done}/{total} cases, {seconds:.1f} s")

        try:
            made = generate(
                count, organisations=organisations, seed=seed, batch=batch,
                progress=progress if options["verbosity"] else None,
            )  # fmt: skip
        except Questionnaire.DoesNotExist as error:
            raise CommandError(
                f"No questionnaire: run `manage.py load_seeds` first ({error})."
            ) from None
        self.stdout.write(
            f"{made.cases} cases for {made.organisations} organisations "
            f"({made.advisors} advisors) in {made.seconds:.1f} s."
        )
