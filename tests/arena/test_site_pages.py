"""The pages everyone meets first: account pages in the site's layout, mail that names the site,
the API token page, the API docs served locally, the favicon and the designed error pages."""

from __future__ import annotations

import re

import pytest
from django.contrib.sites.models import Site
from django.core import mail
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

ACCOUNT_PAGES = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/confirm-email/",
    "/accounts/password/reset/done/",
]


@pytest.mark.parametrize("path", ACCOUNT_PAGES)
def test_account_pages_wear_the_sites_layout(client: Client, path: str) -> None:
    page = client.get(path).content.decode()
    assert 'class="topbar"' in page and "css/arena.css" in page and "img/favicon.svg" in page
    assert "Menu:" not in page
    assert re.search(r"<title>\s*\S.* · Arena</title>", page, re.S)


def test_sign_up_mail_names_the_site_not_example_com(client: Client) -> None:
    assert Site.objects.get_current().name == "Arena"
    response = client.post(
        "/accounts/signup/",
        {
            "email": "mia@example.org",
            "username": "mia",
            "password1": "a-long-test-password-42",
            "password2": "a-long-test-password-42",
        },
    )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.subject.startswith("[Arena]")
    assert "example.com" not in message.subject + message.body
    assert "127.0.0.1:8000" in message.body or "testserver" in message.body


def test_the_password_reset_mail_names_the_site(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user("mia")
    client.post("/accounts/password/reset/", {"email": "mia@example.org"})
    [message] = mail.outbox
    assert "[Arena]" in message.subject and "example.com" not in message.body


def test_the_api_token_page_shows_a_working_token_and_how_to_use_it(
    client: Client, make_user
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user("mia"))
    page = client.get("/account/api-token/").content.decode()
    token = re.search(r'data-field="token">(\w+)<', page).group(1)
    assert f"Authorization: Token {token}" in page and "curl" in page
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/events/").status_code == 200
    client.post("/account/api-token/")  # renew: the old token stops working
    assert Client(HTTP_AUTHORIZATION=f"Token {token}").get("/api/compositions/1/").status_code in (
        401,
        403,
    )
    assert token not in client.get("/account/api-token/").content.decode()


def test_the_api_token_page_needs_a_login(client: Client) -> None:
    assert client.get("/account/api-token/").status_code == 302


def test_the_api_docs_are_served_by_the_site_itself(client: Client) -> None:
    page = client.get("/api/docs/").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any("swagger-ui" in a for a in assets)
    assert all(a.startswith("/") for a in assets)  # no CDN
    assert client.get("/api/schema/").status_code == 200


def test_the_favicon_is_served(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")


@override_settings(DEBUG=False)
def test_an_unknown_page_gets_the_designed_404(client: Client) -> None:
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "This page is not here" in page and 'class="topbar"' in page


@override_settings(DEBUG=False)
def test_an_unknown_api_address_answers_in_json(client: Client) -> None:
    response = client.get("/api/no-such-thing/")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


def test_the_500_page_is_designed() -> None:
    from django.template.loader import render_to_string

    page = render_to_string("500.html")
    assert "Something went wrong on our side" in page and "css/arena.css" in page
