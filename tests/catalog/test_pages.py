import pytest
from django.urls import reverse

PAGES = [
    ("catalog:index", []),
    ("catalog:use_case_list", []),
    ("catalog:use_case_detail", ["prise-de-notes-par-dictee"]),
    ("catalog:programme_list", []),
    ("catalog:programme_detail", ["cyber-occ"]),
    ("catalog:training_list", []),
    ("catalog:provider_list", []),
    ("catalog:provider_detail", ["bea-solutions"]),
]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(("name", "args"), PAGES)
def test_pages_answer_in_french_and_english(client, catalog, name, args, language):
    response = client.get(reverse(name, args=args), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert f'lang="{language}"' in response.content.decode()


def test_english_page_is_translated(client, catalog):
    response = client.get(reverse("catalog:programme_list"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Programmes and schemes" in response.content.decode()


def test_cyber_occ_page_says_what_it_offers_and_to_whom(client, catalog):
    page = client.get(reverse("catalog:programme_detail", args=["cyber-occ"]))
    text = page.content.decode()
    assert "Réponse à incident" in text
    assert "victimes (ou soupçonnant) une cyberattaque" in text
    assert "Gratuit" in text
    assert "Occitanie" in text
    assert "001_c9dcd39cec18c08f.txt" in text
    assert "150 appels par an" in text


def test_regional_plan_page_shows_its_envelopes(client, catalog):
    page = client.get(
        reverse("catalog:programme_detail", args=["plan-ia-occitanie-2024-2028"])
    )
    text = page.content.decode()
    for amount in ("60 M€", "22 M€", "18 M€", "4 M€", "10 M€", "14 M€", "9 M€"):
        assert amount in text
    assert "plus d’1 M€" in text
    assert "003_a335fb86a93e42e6.txt" in text


def test_catalogue_index_leads_to_plan_envelopes_and_sections(client, catalog):
    text = client.get(reverse("catalog:index")).content.decode()
    assert "Plan Intelligence Artificielle de la Région Occitanie" in text
    assert reverse("catalog:training_list") in text
    assert reverse("catalog:provider_list") in text
    assert "44 %" in text


def test_training_list_shows_only_training(client, catalog):
    text = client.get(reverse("catalog:training_list")).content.decode()
    assert "Toulouse Business School" in text
    assert "4 jours" in text
    assert "Cyber’Occ" not in text


def test_provider_list_shows_towns(client, catalog):
    text = client.get(reverse("catalog:provider_list")).content.decode()
    for provider, town in [("BEA Solutions", "Alès"), ("Akawan", "Toulouse")]:
        assert provider in text
        assert town in text


@pytest.mark.parametrize(
    ("name", "query", "present", "absent"),
    [
        ("catalog:programme_list", "department=75", "IA Tour", "Cyber’Occ"),
        ("catalog:programme_list", "kind=incident_response", "Cyber’Occ", "IA Tour"),
        ("catalog:programme_list", "need=cybersecurite", "Cyber’Occ", "Adastra"),
        ("catalog:programme_list", "q=ekitia", "Ekitia", "Cyber’Occ"),
        ("catalog:provider_list", "department=34", "Septeo", "Akawan"),
        ("catalog:provider_list", "sovereign=false", "Microsoft", "BlueMind"),
        ("catalog:use_case_list", "stone_category=appels-offres", "appel d’offres",
         "chatbots"),
        ("catalog:use_case_list", "sector=logistique", "logistique",
         "Aide au diagnostic"),
        ("catalog:training_list", "size=large", "MOOCs", "Toulouse Business School"),
    ],
)  # fmt: skip
def test_list_filters(client, catalog, name, query, present, absent):
    text = client.get(f"{reverse(name)}?{query}").content.decode()
    assert present in text
    assert absent not in text


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("catalog:programme_list", "department=zz"),
        ("catalog:programme_list", "kind=lottery&sector=%00"),
        ("catalog:provider_list", "sovereign=maybe"),
        ("catalog:use_case_list", "stone_category=nope&page=abc"),
        ("catalog:training_list", "region=999&page=99"),
    ],
)
def test_unknown_filter_values_give_a_message_not_a_500(client, catalog, name, query):
    response = client.get(f"{reverse(name)}?{query}")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'role="alert"' in text


def test_unknown_page_number_shows_a_page(client, catalog):
    response = client.get(reverse("catalog:programme_list") + "?page=999")
    assert response.status_code == 200


def test_unknown_slug_is_404(client, catalog):
    response = client.get(reverse("catalog:programme_detail", args=["nope"]))
    assert response.status_code == 404
