"""Reads on publishing."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from arena.accounts.models import User
from arena.events.models import Event
from arena.publishing.models import Publication, SoundCloudAccount


def soundcloud_configured() -> bool:
    """Whether this site has SoundCloud app credentials."""
    return bool(settings.SOUNDCLOUD_CLIENT_ID and settings.SOUNDCLOUD_CLIENT_SECRET)


def soundcloud_account_of(*, user: User) -> SoundCloudAccount | None:
    if not user.is_authenticated:
        return None
    return SoundCloudAccount.objects.filter(user=user).first()


def publication_list(*, event: Event) -> QuerySet[Publication]:
    return event.publications.select_related("entry__team", "job").order_by("rank")


def publications_by_entry(*, event: Event) -> dict[int, Publication]:
    return {p.entry_id: p for p in publication_list(event=event)}
