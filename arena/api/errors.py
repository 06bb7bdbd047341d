"""Service errors as API answers, in one place: every API view lets the services' Django
exceptions rise, and this handler (REST_FRAMEWORK's EXCEPTION_HANDLER) answers them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler

from arena.events.limits import TeamLimitReached


class TooManyRequests(APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = "Your team has reached a limit."
    default_code = "team_limit"


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """A team limit is a 429, another refusal a 400 naming its fields (or its messages), a
    permission refused a 403 with its reason; the rest as DRF answers them."""
    if isinstance(exc, TeamLimitReached):
        exc = TooManyRequests(" ".join(exc.messages))
    elif isinstance(exc, DjangoValidationError):
        exc = ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = PermissionDenied(str(exc))
    return exception_handler(exc, context)
