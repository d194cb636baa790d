"""A plumber in Lille, read where the owner and the advisor read his plan.

The rules of advice are proved over random answers on the result, its
presentation and its API form (tests/assessment/test_advice_properties.py);
here one rendered PDF, the API answer and the advisor's case page.
"""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from advisors.cases import share
from catalog.models import Department
from reports import rendering
from reports.models import Report
from tests.advisors.conftest import make_member, make_organisation
from tests.assessment import personas

from .conftest import pdf_text
from .personas import submitted_assessment

pytestmark = pytest.mark.django_db
# Named by the catalogue for Occitanie only, or nowhere at all.
ELSEWHERE = ("Cyber’Occ", "Akawan", "BEA Solutions", "Airbus Protect", "Pradeo",
             "17Cyber", "Ekitia")  # fmt: skip
ENVELOPES = ("60 M€ sur cinq ans", "2,5 milliards", "Monter le dossier", "éligible")


@pytest.fixture
def plumber(seeds):
    return submitted_assessment(personas.PLUMBER_IN_LILLE, "Plomberie Vauban")


def test_the_plumbers_plan_names_nothing_outside_his_territory(plumber):
    assessment, _token = plumber
    report = Report.objects.create(assessment=assessment, version=1, language="fr")
    with translation.override("fr"):
        data, _pages = rendering.render_bytes(report)
    text = " ".join(pdf_text(data).split()).replace("\u00a0", " ")
    text = text[: text.rindex("Sources")]  # the documents' own titles may say more
    for name in ELSEWHERE + ENVELOPES:
        assert name not in text, name
    assert "Moins de 1 000 €" in text  # his budget, said as he said it
    assert "Au-delà de votre budget actuel (Moins de 1 000 €)" in text
    assert re.search(r"Piloter « [^»]+ » en interne", text)
    assert "appelez votre prestataire informatique" in text


def test_the_api_result_keeps_to_the_territory(plumber):
    assessment, token = plumber
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    url = reverse("assessment_api:result", args=[assessment.pk])
    data = client.get(url).json()
    recs = data.pop("recommendations")
    why_not = {e["slug"]: e["reason"] for e in recs.pop("excluded")}
    text = str(data) + str(recs)
    for name in ELSEWHERE + ENVELOPES:
        assert name not in text, name
    assert "Occitanie" in why_not["cyber-occ"]
    pilot = next(
        a for p in data["roadmap"] for a in p["actions"] if a["key"] == "pilot"
    )
    assert pilot["cost_code"] == "under_1k" and pilot["budget_note"]


def test_the_advisor_sees_why_each_programme_was_left_out(plumber, client):
    assessment, _token = plumber
    organisation = make_organisation(
        "CCI Grand Lille", "cci-grand-lille", Department.objects.get(code="59")
    )
    case = share(assessment, organisation)
    client.force_login(make_member(organisation, "alice"))
    page = client.get(reverse("advisors:case", args=[case.pk])).content.decode()
    why_not = page[page.index('class="why-not"') :]
    assert "Pourquoi pas" in why_not
    assert "Cyber’Occ" in why_not and "Occitanie" in why_not
    assert "Horizon Europe" in why_not and "consortium" in why_not
    plan = page[: page.index('class="why-not"')]
    assert "Cyber’Occ" not in plan
