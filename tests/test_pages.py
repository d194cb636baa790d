import logging

import pytest

pytestmark = pytest.mark.django_db


def test_landing_page_says_what_the_product_does(client):
    response = client.get("/")
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="fr">' in content
    assert "caillou dans votre chaussure" in content
    assert "plan d’action" in content


def test_landing_page_speaks_english_when_asked(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    assert '<html lang="en">' in content
    assert "stone in your shoe" in content


def test_static_files_are_served(client):
    response = client.get("/static/vendor/pico.min.css")
    assert response.status_code == 200


def test_each_request_is_logged_once_without_its_query_string(client, caplog):
    with caplog.at_level(logging.INFO, logger="caillou.request"):
        client.get("/healthz?token=secret-value")
    lines = [r.getMessage() for r in caplog.records if r.name == "caillou.request"]
    assert len(lines) == 1
    assert lines[0].startswith("GET /healthz ")
    assert "secret-value" not in lines[0]
