"""The owner's rights through the REST API: GET a copy, DELETE to erase."""

import json

from django.test import Client
from django.urls import include, path, reverse

from assessment.models import Assessment

from .conftest import OWNER, traces_in_database


def url(assessment) -> str:
    return reverse("privacy_api:data", args=[assessment.pk])


def auth(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {token}"}


def test_the_token_gets_a_copy_of_the_data(client, owner):
    first, token, retaken, _ = owner

    response = client.get(url(first), **auth(token))

    assert response.status_code == 200
    data = json.loads(response.content)
    assert [d["id"] for d in data["diagnostics"]] == [first.pk, retaken.pk]
    assert data["diagnostics"][0]["respondent"]["name"] == OWNER["respondent_name"]


def test_without_the_right_token_the_answer_is_a_json_404(client, owner, bystander):
    first, *_ = owner
    _other, other_token = bystander

    for headers in ({}, auth("not-the-token"), auth(other_token)):
        for method in (client.get, client.delete):
            response = method(url(first), **headers)
            assert response.status_code == 404
            assert "detail" in response.json()
    assert Assessment.objects.filter(pk=first.pk).exists()


def test_delete_erases_everything_and_the_token_stops_working(
    client, owner, django_capture_on_commit_callbacks
):
    first, token, *_ = owner

    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete(url(first), **auth(token))

    assert response.status_code == 200
    assert response.json() == {"diagnostics": 2, "reports": 1, "files": 1}
    assert traces_in_database() == set()
    assert client.get(url(first), **auth(token)).status_code == 404


def test_a_session_needs_the_csrf_token_to_erase(owner):
    first, token, *_ = owner
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("assessment:resume", args=[token]))

    response = client.delete(url(first))

    assert response.status_code == 403
    assert "detail" in response.json()
    assert Assessment.objects.filter(pk=first.pk).exists()


def test_the_openapi_schema_documents_both_operations_without_warnings():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    generator = SchemaGenerator(patterns=[path("", include("privacy.urls"))])

    schema = generator.get_schema(request=None, public=True)

    validate_schema(schema)
    assert not GENERATOR_STATS, "drf-spectacular warned: see the captured output"
    item = schema["paths"]["/api/v1/assessments/{id}/data/"]
    assert set(item) == {"get", "delete"}
    for operation in item.values():
        assert operation["summary"] and operation["tags"] == ["personal data"]
        assert operation["security"] == [{"assessmentToken": []}]
        assert "404" in operation["responses"]
    erased = item["delete"]["responses"]["200"]["content"]["application/json"]
    assert erased["schema"]["$ref"].endswith("/Erased")


def test_the_api_is_in_the_published_schema(client, db):
    response = client.get(reverse("schema"), HTTP_ACCEPT="application/json")
    assert "/api/v1/assessments/{id}/data/" in response.content.decode()
