"""The API's contract beyond success: malformed pages, unknown URLs and documented errors."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["offset=-1", "limit=abc", "offset=1&offset=2", "limit=%C2%B2"])
def test_a_malformed_page_is_refused_with_the_parameter_named(client, query):
    response = client.get(f"/api/events/?{query}")
    assert response.status_code == 400
    assert set(response.json()) <= {"limit", "offset"} and response.json()


def test_a_wellformed_page_is_served(client):
    response = client.get("/api/events/?limit=1&offset=0")
    assert response.status_code == 200 and "results" in response.json()


def test_an_unknown_api_url_answers_json_and_a_page_url_answers_html(client):
    api = client.get("/api/events/not a slug/entries/")
    assert api.status_code == 404 and api.json() == {"detail": "Not found."}
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_the_schema_documents_each_operations_errors(client):
    schema = client.get("/api/schema/?format=json").json()
    assert schema["components"]["schemas"]["Error"]["properties"]["detail"]["type"] == "string"
    scores = schema["paths"]["/api/entries/{id}/scores/"]["post"]["responses"]
    assert {"400", "401", "403", "404"} <= set(scores)
    token = schema["paths"]["/api/auth/token/"]["post"]["responses"]
    assert "400" in token and "404" not in token  # no path parameter, nothing to be missing
