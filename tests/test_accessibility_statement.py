import pytest

pytestmark = pytest.mark.django_db


def test_every_page_links_to_the_accessibility_statement(client):
    content = client.get("/").content.decode()
    assert 'href="/accessibilite/">Accessibilité\u00a0: non conforme</a>' in content


def test_the_statement_gives_the_status_its_limits_and_the_recourse(client):
    content = client.get("/accessibilite/").content.decode()
    assert "<h1>Déclaration d’accessibilité</h1>" in content
    assert "<strong>non conforme</strong>" in content
    assert "axe-core" in content
    assert "https://formulaire.defenseurdesdroits.fr/" in content
    assert "Libre réponse 71120" in content


def test_the_statement_names_the_contact_when_there_is_one(client, settings):
    assert "mailto:" not in client.get("/accessibilite/").content.decode()
    settings.ACCESSIBILITY_CONTACT = "accessibilite@cci.example.fr"
    content = client.get("/accessibilite/").content.decode()
    assert 'href="mailto:accessibilite@cci.example.fr"' in content


def test_the_statement_speaks_english_when_asked(client):
    content = client.get("/accessibilite/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Accessibility statement</h1>" in content
    assert "<strong>not compliant</strong>" in content
