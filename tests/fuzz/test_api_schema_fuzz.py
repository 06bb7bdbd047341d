"""Schema-driven fuzzing of the REST API: schemathesis reads the OpenAPI schema the site serves and
sends every operation generated requests, as an organiser, a participant and nobody; no request
may end in a server error, and every answer must be one the schema allows.

Path parameters are steered half of the time onto objects that exist (the demo events and the
first rows of each table), so request bodies reach the services rather than stopping at a 404."""

from __future__ import annotations

import pytest
import schemathesis
from django.conf import settings as django_settings
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from arena.accounts.models import User
from arena.demo.services import demo_seed
from arena.wsgi import application

# Checks that hold every answer to the schema, except two that judge business rules, not the
# contract: a well-formed request may still be refused (composing in a finished event), and
# a signed-in browser's session cookie rightly authenticates beside a bad token.
NOT_CONTRACT = [
    schemathesis.checks.positive_data_acceptance,
    schemathesis.checks.ignored_auth,
]

REAL_SLUGS = ("space-odyssey", "bach-to-the-future")
USERS = ("organiser", "alice", None)  # None: no credentials at all

# The schema as the site serves it, read once through the WSGI application (no database needed).
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture(autouse=True)
def demo(db, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    demo_seed(password=django_settings.DEMO_PASSWORD)


def _steered(case: schemathesis.Case) -> None:
    for name, value in list((case.path_parameters or {}).items()):
        if name == "slug" and isinstance(value, str) and len(value) % 2 == 0:
            case.path_parameters[name] = REAL_SLUGS[len(value) // 2 % 2]
        elif name in ("pk", "id") and isinstance(value, int) and value % 2 == 0:
            case.path_parameters[name] = value % 6 + 1


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_api_request_ends_in_a_server_error(case: schemathesis.Case) -> None:
    _steered(case)
    for username in USERS:
        headers = {}
        if username is not None:
            token, _ = Token.objects.get_or_create(user=User.objects.get(username=username))
            headers["Authorization"] = f"Token {token.key}"
        case.call_and_validate(headers=headers, excluded_checks=NOT_CONTRACT)
