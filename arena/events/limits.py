"""A team's limit reached (pieces in the queue, training runs): a refusal of its own kind, so the
API can answer 429 Too Many Requests rather than 400 for it."""

from django.core.exceptions import ValidationError


class TeamLimitReached(ValidationError):
    """The team already has as much in progress, or in all, as it may."""
