import pytest
from django.core.management import call_command

API = "/api/v1/"
ENDPOINTS = [
    "use-cases",
    "programmes",
    "providers",
    "solutions",
    "regional-examples",
    "key-figures",
    "stone-categories",
    "sectors",
    "departments",
]


def slugs(response):
    return {item.get("slug") or item.get("code") for item in response.json()["results"]}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_endpoints_list_paginated_records(client, catalog, endpoint):
    response = client.get(f"{API}{endpoint}/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] > 0
    assert {"next", "previous", "results"} <= set(body)


def test_departments_are_paginated_and_found_by_code(client, catalog):
    assert client.get(f"{API}departments/").json()["count"] == 101
    body = client.get(f"{API}departments/2A/").json()
    assert body == {
        "code": "2A",
        "name": "Corse-du-Sud",
        "region": "94",
        "region_name": "Corse",
    }


def test_programme_by_slug_has_envelopes_eligibility_and_citations(client, catalog):
    body = client.get(f"{API}programmes/plan-ia-occitanie-2024-2028/").json()
    assert body["amount_eur"] == "60000000.00"
    assert body["regions"] == ["76"]
    assert {e["amount_text"] for e in body["envelopes"]} == {
        "22 M€",
        "10 M€",
        "14 M€",
        "9 M€",
        "5 M€",
    }
    assert body["citations"][0]["source"].endswith(".txt")


def test_stone_categories_expose_keywords_and_share(client, catalog):
    body = client.get(f"{API}stone-categories/appels-offres/").json()
    assert "appel d'offres" in body["keywords"]
    assert 0 < float(body["automatable_share"]) <= 1


@pytest.mark.parametrize(
    ("endpoint", "query", "present", "absent"),
    [
        ("programmes", "department=31", "cyber-occ", "adastra"),
        ("programmes", "region=11", "ia-tour", "cyber-occ"),
        ("programmes", "kind=training", "a-vous-l-ia", "cyber-occ"),
        ("programmes", "need=cybersecurite", "cyber-occ", "ekitia"),
        ("programmes", "size=large", "ia-tour", "formation-ia-dirigeants-tbs-u-need"),
        ("programmes", "sector=logistique", "cyber-occ",
         "plan-ia-occitanie-integration-filieres-cles"),
        ("programmes", "q=Cyber", "cyber-occ", "ekitia"),
        ("use-cases", "stone_category=comptes-rendus-reunion",
         "prise-de-notes-par-dictee", "chatbots"),
        ("use-cases", "sector=sante", "aide-au-diagnostic-medical",
         "optimisation-predictive-logistique"),
        ("providers", "department=30", "bea-solutions", "akawan"),
        ("providers", "region=76", "pradeo", "microsoft"),
        ("providers", "need=cybersecurite", "orange-cyber", "septeo"),
        ("providers", "sovereign=true", "netexplorer", "microsoft"),
        ("solutions", "open_source=true", "parakeet", "copilot"),
        ("regional-examples", "department=65", "ogoxi", "geomatys"),
        ("regional-examples", "sector=agriculture", "naio-technologies", "ogoxi"),
        ("departments", "region=76", "31", "75"),
    ],
)  # fmt: skip
def test_api_filters(client, catalog, endpoint, query, present, absent):
    response = client.get(f"{API}{endpoint}/?{query}&page_size=200")
    assert response.status_code == 200
    found = slugs(response)
    assert present in found
    assert absent not in found


@pytest.mark.parametrize(
    "query",
    [
        "programmes/?department=zz",
        "programmes/?kind=lottery",
        "programmes/?size=giant",
        "providers/?sovereign=maybe",
        "use-cases/?stone_category=nope",
        "key-figures/?year=soon",
    ],
)
def test_bad_filter_values_are_a_400_with_a_json_message(client, catalog, query):
    response = client.get(f"{API}{query}")
    assert response.status_code == 400
    # The shape of every API's 400: a sentence, then a message per parameter.
    body = response.json()
    assert set(body) == {"detail", "errors"} and body["detail"]
    parameter = query.partition("?")[2].partition("=")[0]
    assert list(body["errors"]) == [parameter] and body["errors"][parameter]


def test_a_page_size_that_is_no_number_is_a_400_in_the_same_shape(client, catalog):
    body = client.get(f"{API}programmes/?page_size=many").json()
    assert body["errors"] == {"page_size": "Un nombre entier positif."}


def test_unknown_slug_is_a_404(client, catalog):
    assert client.get(f"{API}programmes/nope/").status_code == 404


def test_api_is_read_only(client, catalog):
    response = client.post(f"{API}programmes/", {"name": "x"})
    assert response.status_code == 405


def test_schema_has_no_warnings(tmp_path):
    schema = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema))
    text = schema.read_text()
    assert "ProgrammeKindEnum" in text
    assert "ProviderKindEnum" in text
