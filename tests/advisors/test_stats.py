"""An organisation's statistics: figures, charts, page, CSV export and API."""

import csv
import io
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse

from advisors import charts, tallies
from advisors.models import Case
from advisors.stats import Period, Row, organisation_statistics, parse_period
from advisors.stats_api import StatsView
from assessment.models import Outcome

from .conftest import local

PAGE = "/conseil/statistiques/"
CSV = "/conseil/statistiques.csv"
API = "/api/v1/advisor/stats/"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def cases(org1, org2, make_case):
    """Three active cases of organisation 1, plus two that must never count."""
    return {
        "a": make_case(
            org1, department="31", sector="commerce", size_band="micro",
            overall=30, stone="devis-factures", shared_at=local(2026, 1, 15, 10),
        ),
        "b": make_case(
            org1, department="31", sector="industrie", size_band="small",
            status=Case.Status.IN_REVIEW, overall=70, dimensions={"strategy": 90},
            stone="devis-factures", shared_at=local(2026, 3, 2, 9),
        ),
        # Half past midnight on 1 April in Toulouse is still 31 March in UTC.
        "c": make_case(
            org1, department="34", sector="commerce", size_band="micro",
            overall=50, stone="mails-clients", shared_at=local(2026, 4, 1, 0, 30),
        ),
        "withdrawn": make_case(
            org1, department="31", sector="commerce", overall=90,
            stone="mails-clients", shared_at=local(2026, 2, 10, 12), withdrawn=True,
        ),
        "other_organisation": make_case(
            org2, department="34", sector="industrie", overall=10,
            stone="mails-clients", shared_at=local(2026, 2, 20, 12),
        ),
    }  # fmt: skip


def counts(rows) -> dict:
    return {row.key: row.count for row in rows}


def test_the_addresses():
    assert reverse("advisors:stats") == PAGE
    assert reverse("advisors:stats_csv") == CSV
    assert reverse("advisors_api:stats") == API


# --- The figures --------------------------------------------------------------------


def test_counts_only_the_organisations_active_cases(org1, cases):
    found = organisation_statistics(org1)

    assert found.total == 3
    assert counts(found.departments) == {"31": 2, "34": 1}
    assert [r.label for r in found.departments] == [
        "Haute-Garonne (31)",
        "Hérault (34)",
    ]
    assert counts(found.sectors) == {"commerce": 2, "industrie": 1}
    assert [r.key for r in found.size_bands] == ["micro", "small"]
    assert counts(found.size_bands) == {"micro": 2, "small": 1}
    assert counts(found.statuses) == {
        "new": 2, "in_review": 1, "plan_sent": 0, "follow_up": 0, "closed": 0,
    }  # fmt: skip
    # 30 → exploration, 50 → experimentation, 70 → deployment.
    assert [(r.key, r.count) for r in found.levels] == [
        ("discovery", 0), ("exploration", 1), ("experimentation", 1),
        ("deployment", 1), ("transformation", 0),
    ]  # fmt: skip


def test_most_frequent_stones_come_first_with_their_catalogue_names(org1, cases):
    stones = organisation_statistics(org1).stones

    # The withdrawn share and organisation 2's case would make "mails-clients" 3.
    assert [(r.key, r.label, r.count) for r in stones] == [
        ("devis-factures", "Devis et factures", 2),
        ("mails-clients", "E-mails <clients> & questions", 1),
    ]


def test_averages_per_dimension(org1, cases):
    found = organisation_statistics(org1)

    assert found.overall.value == 50.0  # (30 + 70 + 50) / 3
    averages = {a.key: a.value for a in found.dimensions}
    assert averages["strategy"] == 56.7  # (30 + 90 + 50) / 3
    assert averages["uses"] == 50.0
    assert [a.label for a in found.dimensions][:2] == ["Stratégie", "Usages et outils"]


def test_months_are_local_and_include_the_empty_ones(org1, cases):
    months = organisation_statistics(org1).months

    assert [(m.key, m.count) for m in months] == [
        ("2026-01", 1), ("2026-02", 0), ("2026-03", 1), ("2026-04", 1),
    ]  # fmt: skip
    assert months[0].label == "janvier 2026"


def test_a_period_counts_cases_shared_on_its_local_days(org1, cases):
    march = Period(shared_after=date(2026, 3, 1), shared_before=date(2026, 3, 31))

    found = organisation_statistics(org1, march)

    assert found.total == 1
    assert counts(found.sectors) == {"industrie": 1}
    assert organisation_statistics(org1, Period(date(2026, 4, 1))).total == 1


def test_a_case_without_recorded_outcome_is_counted_apart(org1, make_case, cases):
    lone = make_case(org1, department="34", sector="industrie", size_band="small")
    Outcome.objects.filter(pk=lone.assessment_id).delete()
    tallies.rebuild()  # as after the upgrade that brought outcomes

    found = organisation_statistics(org1)

    assert found.total == 4
    assert found.overall.value == 50.0  # still the three scored cases
    assert found.levels[-1] == Row("", "Sans résultat enregistré", 1)
    assert counts(found.sectors) == {"commerce": 2, "industrie": 2}


def test_without_cases_every_figure_is_empty(org1):
    found = organisation_statistics(org1)

    assert found.total == 0
    assert found.overall.value is None
    assert found.months == [] and found.stones == [] and found.departments == []
    assert sum(r.count for r in found.statuses) == 0


def test_parse_period_reports_bad_dates():
    period, errors = parse_period({"shared_after": "2026-02-30", "shared_before": ""})
    assert period == Period() and set(errors) == {"shared_after"}

    period, errors = parse_period(
        {"shared_after": "2026-03-01", "shared_before": "2026-02-01"}
    )
    assert period == Period(shared_after=date(2026, 3, 1))
    assert set(errors) == {"shared_before"}

    period, errors = parse_period({"shared_before": "9999-12-31"})
    assert errors == {} and period.shared_before == date(9999, 12, 31)


def test_the_number_of_queries_does_not_grow_with_the_cases(org1, make_case, cases):
    with CaptureQueriesContext(connection) as few:
        organisation_statistics(org1)
    for n in range(12):
        make_case(
            org1, department=("31", "34")[n % 2], sector=("commerce", "industrie")[n % 2],
            size_band="small", overall=5 * n, status=Case.Status.values[n % 5],
            stone=("devis-factures", "mails-clients")[n % 2],
            shared_at=local(2025, 1 + n, 1, 12),
        )  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        found = organisation_statistics(org1)

    assert found.total == 15
    # The tallies by key and by month, then the names of departments, sectors,
    # size bands and stones.
    assert len(many) == len(few) <= 6


# --- The charts ---------------------------------------------------------------------


def test_charts_are_well_formed_svg_with_escaped_labels():
    label = 'Dupont <script>alert("x")</script> & Fils'
    bars = [charts.Bar(label, 3, "3"), charts.Bar("Autre", 1, "1")]

    for chart in (
        charts.bar_chart(bars, title="Titre <b>", id_prefix="c1"),
        charts.column_chart(bars, title="Titre <b>", id_prefix="c2"),
    ):
        assert "<script>" not in chart and "&lt;script&gt;" in chart
        svg = ET.fromstring(str(chart))
        assert svg.get("role") == "img"
        assert svg.find(f"{SVG}title").text == "Titre <b>"
        desc = svg.find(f"{SVG}desc").text
        assert label in desc and "Autre\u00a0: 1" in desc


def test_bars_are_proportional_to_the_largest_or_to_the_maximum():
    bars = [charts.Bar("a", 40, "40"), charts.Bar("b", 10, "10")]

    def widths(chart):
        return [
            float(r.get("width")) for r in ET.fromstring(str(chart)).iter(f"{SVG}rect")
        ]

    long, short = widths(charts.bar_chart(bars, title="t", id_prefix="p"))
    assert long == pytest.approx(4 * short)
    capped = widths(charts.bar_chart(bars, title="t", id_prefix="p", maximum=100))
    assert capped[0] == pytest.approx(long * 0.4)


# --- The page -----------------------------------------------------------------------


def test_the_page_shows_each_chart_with_its_table(client, advisor1, cases):
    client.force_login(advisor1)

    response = client.get(PAGE)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('role="img"') == 8
    assert "E-mails &lt;clients&gt; &amp; questions" in html
    assert "<clients>" not in html
    panel = {p.slug: p for p in response.context["panels"]}
    assert panel["stones"].rows == [
        ("Devis et factures", "2"),
        ("E-mails <clients> & questions", "1"),
    ]
    assert panel["dimensions"].rows[0] == ("Score global", "50,0")
    assert panel["months"].rows[1] == ("février 2026", "0")
    assert ">02/2026</text>" in panel["months"].chart  # short labels under columns
    for p in response.context["panels"]:
        ET.fromstring(str(p.chart))


def test_advisors_see_their_own_organisation_only(client, advisor2, cases):
    client.force_login(advisor2)

    response = client.get(PAGE)

    assert response.context["statistics"].total == 1
    assert "Haute-Garonne" not in response.content.decode()


def test_an_organisation_admin_sees_the_statistics_too(client, org_admin1, cases):
    client.force_login(org_admin1)

    assert client.get(PAGE).context["statistics"].total == 3


def test_strangers_are_sent_away(client, non_member, cases):
    assert client.get(PAGE).status_code == 302
    assert client.get(CSV).status_code == 302
    client.force_login(non_member)
    assert client.get(PAGE).status_code == 404
    assert client.get(CSV).status_code == 404


def test_a_bad_date_is_explained_not_fatal(client, advisor1, cases):
    client.force_login(advisor1)

    response = client.get(PAGE, {"shared_after": "hier", "shared_before": "2026-03-31"})

    assert response.status_code == 200
    assert "Date attendue au format AAAA-MM-JJ" in response.content.decode()
    assert response.context["statistics"].total == 2  # up to 31 March only


def test_the_page_makes_as_many_queries_with_more_cases(
    client, advisor1, org1, make_case, cases
):
    client.force_login(advisor1)
    with CaptureQueriesContext(connection) as few:
        client.get(PAGE)
    for n in range(10):
        make_case(
            org1, overall=9 * n, stone="mails-clients", shared_at=local(2025, 6, n + 1)
        )
    with CaptureQueriesContext(connection) as many:
        client.get(PAGE)

    assert len(many) == len(few)


# --- The CSV export -----------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_the_csv_holds_the_same_figures_as_the_page(client, advisor1, org1, cases):
    client.force_login(advisor1)

    response = client.get(CSV)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "statistiques-cci-toulouse-" in response["Content-Disposition"]
    header, *rows = read_csv(response)
    assert header == ["tableau", "clé", "libellé", "valeur"]
    assert all(len(row) == 4 for row in rows)
    assert ["Total", "cases", "Dossiers actifs", "3"] in rows
    assert ["Score moyen", "strategy", "Stratégie", "56,7"] in rows
    assert ["Département", "31", "Haute-Garonne (31)", "2"] in rows
    assert ["Caillou", "mails-clients", "E-mails <clients> & questions", "1"] in rows
    assert ["Mois", "2026-02", "février 2026", "0"] in rows
    found = organisation_statistics(org1)
    by_table = {
        "État": found.statuses, "Niveau": found.levels, "Caillou": found.stones,
        "Département": found.departments, "Secteur": found.sectors,
        "Taille": found.size_bands,
    }  # fmt: skip
    for table, group in by_table.items():
        assert [r[1:] for r in rows if r[0] == table] == [
            [row.key, row.label, str(row.count)] for row in group
        ]


def test_the_csv_follows_the_period_and_names_it(client, advisor1, cases):
    client.force_login(advisor1)

    rows = read_csv(client.get(CSV, {"shared_after": "2026-03-01"}))

    assert ["Période", "shared_after", "Partagés à partir du", "2026-03-01"] in rows
    assert ["Total", "cases", "Dossiers actifs", "2"] in rows


def test_labels_cannot_become_spreadsheet_formulas(client, advisor1, org1, make_case):
    from catalog.models import StoneCategory

    StoneCategory.objects.filter(slug="mails-clients").update(name="=HYPERLINK(1)")
    make_case(org1, stone="mails-clients")
    client.force_login(advisor1)

    rows = read_csv(client.get(CSV))

    assert ["Caillou", "mails-clients", "'=HYPERLINK(1)", "1"] in rows


# --- The API ------------------------------------------------------------------------


def test_the_api_answers_the_organisations_figures(client, advisor1, cases):
    client.force_login(advisor1)

    data = client.get(API, {"shared_before": "2026-03-31"}).json()

    assert data["period"] == {"shared_after": None, "shared_before": "2026-03-31"}
    assert data["total"] == 2
    assert data["overall"] == {"key": "overall", "label": "Score global", "value": 50.0}
    assert {r["key"]: r["count"] for r in data["stones"]} == {"devis-factures": 2}
    assert [m["month"] for m in data["months"]] == ["2026-01", "2026-02", "2026-03"]
    assert len(data["statuses"]) == 5 and len(data["dimensions"]) == 6


def test_the_api_refuses_strangers_and_bad_dates(client, non_member, advisor1, cases):
    assert client.get(API).status_code == 404
    client.force_login(non_member)
    response = client.get(API)
    assert response.status_code == 404 and "detail" in response.json()

    client.force_login(advisor1)
    response = client.get(API, {"shared_after": "31/03/2026"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"shared_after"}


def test_the_api_is_documented_without_warnings():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    generator = SchemaGenerator(
        patterns=[
            path("api/v1/", include([path("advisor/stats/", StatsView.as_view())]))
        ]
    )

    schema = generator.get_schema(request=None, public=True)

    validate_schema(schema)
    assert not GENERATOR_STATS, "drf-spectacular warned: see the captured output"
    operation = schema["paths"]["/api/v1/advisor/stats/"]["get"]
    assert {"200", "400", "403", "404"} <= set(operation["responses"])
    assert [p["name"] for p in operation["parameters"]] == [
        "shared_after",
        "shared_before",
    ]
