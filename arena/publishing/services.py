"""Writes on publishing: connecting SoundCloud and posting an event's winners.

Posting runs as a `soundcloud_publish` job on the `default` queue (`publications_upload_job`,
registered by the app). Each winner has a Publication row with a unique key, marked `uploading`
before its upload and `done` with the permalink after it; a job that is retried skips what is
done and, for an upload that was under way, first looks the track up on SoundCloud by its
machine tag. So a retried job never posts an entry twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from arena.accounts.models import User
from arena.events.models import Event
from arena.events.selectors import user_runs_event
from arena.jobs.models import Job, JobKind, JobStatus
from arena.jobs.services import job_create
from arena.judging.selectors import leaderboard, results_published
from arena.publishing.crypto import token_decrypt, token_encrypt
from arena.publishing.models import Publication, PublicationStatus, Sharing, SoundCloudAccount
from arena.publishing.soundcloud import SoundCloudClient, SoundCloudError, Tokens

WORKSHOP_TAG = "aug-arch-ml-workshop"
MAX_WINNERS = 10


def soundcloud_client(**overrides: Any) -> SoundCloudClient:
    """The client configured from the SOUNDCLOUD_* settings."""
    options: dict[str, Any] = {
        "client_id": settings.SOUNDCLOUD_CLIENT_ID,
        "client_secret": settings.SOUNDCLOUD_CLIENT_SECRET,
        "authorize_url": settings.SOUNDCLOUD_AUTHORIZE_URL,
        "token_url": settings.SOUNDCLOUD_TOKEN_URL,
        "api_url": settings.SOUNDCLOUD_API_URL,
        "max_retries": settings.SOUNDCLOUD_MAX_RETRIES,
        "backoff_s": settings.SOUNDCLOUD_BACKOFF_S,
        "max_wait_s": settings.SOUNDCLOUD_MAX_WAIT_S,
    }
    options.update(overrides)
    return SoundCloudClient(**options)


# Connection -------------------------------------------------------------------------------------


def soundcloud_tokens_store(*, user: User, tokens: Tokens, username: str = "") -> SoundCloudAccount:
    """Store (encrypted) a fresh token pair; the previous refresh token is dead from now on."""
    account, _ = SoundCloudAccount.objects.get_or_create(user=user)
    account.access_token = token_encrypt(plain=tokens.access_token)
    account.refresh_token = token_encrypt(plain=tokens.refresh_token)
    account.expires_at = tokens.expires_at
    account.scope = tokens.scope[:200]
    if username:
        account.soundcloud_username = username[:200]
    account.save()
    return account


def soundcloud_tokens_of(*, account: SoundCloudAccount) -> Tokens:
    return Tokens(
        access_token=token_decrypt(stored=account.access_token),
        refresh_token=token_decrypt(stored=account.refresh_token),
        expires_at=account.expires_at,
        scope=account.scope,
    )


def soundcloud_connect(
    *, user: User, code: str, code_verifier: str, redirect_uri: str, client: SoundCloudClient
) -> SoundCloudAccount:
    """Finish the OAuth flow: trade the code (with the PKCE verifier) for tokens and store them."""
    if not user.is_organiser:
        raise PermissionDenied("Only organisers connect SoundCloud.")
    tokens = client.exchange_code(code=code, code_verifier=code_verifier, redirect_uri=redirect_uri)
    account = soundcloud_tokens_store(user=user, tokens=tokens)
    try:
        me = client.me(
            tokens=tokens, on_refresh=lambda t: soundcloud_tokens_store(user=user, tokens=t)
        )
    except SoundCloudError:
        return account  # the name is a nicety; the connection works without it
    account.soundcloud_username = str(me.get("username") or "")[:200]
    account.save(update_fields=["soundcloud_username"])
    return account


def soundcloud_disconnect(*, user: User) -> None:
    SoundCloudAccount.objects.filter(user=user).delete()


# Posting the winners ----------------------------------------------------------------------------


def publication_key(*, event: Event, entry_id: int) -> str:
    return f"{event.slug}-entry-{entry_id}"


def _machine_tag(key: str) -> str:
    return f"arena:entry={key}"


@transaction.atomic
def publication_request(
    *, event: Event, user: User, sharing: str = Sharing.PUBLIC, winners: int = 3
) -> Job:
    """Queue posting the top `winners` entries of the published leaderboard."""
    if not user_runs_event(user=user, event=event):
        raise PermissionDenied("Only the event's organisers post the winners.")
    if not results_published(event=event):
        raise ValidationError("Publish the results first: only published winners are posted.")
    if sharing not in Sharing.values:
        raise ValidationError({"sharing": f"Choose one of: {', '.join(Sharing.values)}."})
    if not 1 <= winners <= MAX_WINNERS:
        raise ValidationError({"winners": f"Post from 1 to {MAX_WINNERS} winners."})
    if not SoundCloudAccount.objects.filter(user=user).exists():
        raise ValidationError("Connect your SoundCloud account first.")
    Event.objects.select_for_update().get(pk=event.pk)  # one request at a time per event
    busy = Publication.objects.filter(
        event=event, job__status__in=(JobStatus.QUEUED, JobStatus.RUNNING)
    )
    if busy.exists():
        raise ValidationError("The winners are being posted already.")
    rows = [row for row in leaderboard(event=event) if row.composition.audio][:winners]
    if not rows:
        raise ValidationError("No ranked entry has audio to post.")
    job = job_create(
        kind=JobKind.SOUNDCLOUD_PUBLISH,
        payload={"event_id": event.pk, "user_id": user.pk},
        queue=settings.CELERY_DEFAULT_QUEUE,
        created_by=user,
        event=event,  # so the organisers' queue page of the event lists it
    )
    for row in rows:
        publication, _ = Publication.objects.get_or_create(
            key=publication_key(event=event, entry_id=row.composition.pk),
            defaults={"event": event, "entry": row.composition, "rank": row.rank},
        )
        if publication.status == PublicationStatus.DONE:
            continue
        publication.rank = row.rank
        publication.sharing = sharing
        publication.job = job
        publication.save(update_fields=["rank", "sharing", "job", "updated_at"])
    return job


def _description(publication: Publication) -> str:
    entry = publication.entry
    event = publication.event
    return (
        f"{entry.team.name} — #{publication.rank} at {event.name}. "
        f"Composed on Arena from the melody “{entry.melody.title}”. Made with: "
        f"{entry.model_label}; style: {entry.get_style_display()}. "
        f"#{WORKSHOP_TAG}"
    )


def publication_upload(
    *, publication: Publication, client: SoundCloudClient, account: SoundCloudAccount
) -> Publication:
    """Post one winner, at most once: see the module docstring."""
    if publication.status == PublicationStatus.DONE:
        return publication
    user = account.user
    on_refresh: Callable[[Tokens], None] = lambda t: soundcloud_tokens_store(user=user, tokens=t)  # noqa: E731
    tag = _machine_tag(publication.key)
    tried_before = publication.status != PublicationStatus.PENDING or publication.attempts > 0
    Publication.objects.filter(pk=publication.pk).update(
        status=PublicationStatus.UPLOADING, attempts=publication.attempts + 1, error=""
    )
    try:
        track = None
        if tried_before:  # an earlier attempt may have reached SoundCloud
            tokens = soundcloud_tokens_of(account=account)
            track = client.find_track_by_tag(tokens=tokens, on_refresh=on_refresh, tag=tag)
        if track is None:
            entry = publication.entry
            with entry.audio.open("rb") as handle:
                audio = handle.read()
            account.refresh_from_db()  # the look-up may have rotated the tokens
            track = client.upload_track(
                tokens=soundcloud_tokens_of(account=account),
                on_refresh=on_refresh,
                title=f"{entry.team.name} — {publication.event.name}",
                audio=audio,
                filename=f"{publication.key}.wav",
                description=_description(publication),
                tags=[WORKSHOP_TAG, "Bach", "AI music", "Arena"],
                unique_tag=tag,
                sharing=publication.sharing,
            )
    except SoundCloudError as exc:
        Publication.objects.filter(pk=publication.pk).update(
            status=PublicationStatus.FAILED, error=str(exc)[:2000], updated_at=timezone.now()
        )
    else:
        Publication.objects.filter(pk=publication.pk).update(
            status=PublicationStatus.DONE,
            track_id=str(track.get("id", ""))[:40],
            permalink_url=str(track.get("permalink_url", ""))[:500],
            error="",
            updated_at=timezone.now(),
        )
    publication.refresh_from_db()
    return publication


def publications_upload(
    *,
    event_id: int,
    user_id: int,
    progress: Callable[[float, str], None] = lambda fraction, message: None,
    client: SoundCloudClient | None = None,
) -> dict[str, Any]:
    """The job's work: post every winner of the event that is not posted yet."""
    account = SoundCloudAccount.objects.select_related("user").filter(user_id=user_id).first()
    if account is None:
        raise ValidationError("The organiser's SoundCloud account is no longer connected.")
    client = client or soundcloud_client()
    pending = list(
        Publication.objects.filter(event_id=event_id)
        .exclude(status=PublicationStatus.DONE)
        .select_related("event", "entry__team", "entry__melody")
        .order_by("rank")
    )
    for i, publication in enumerate(pending):
        progress(i / max(1, len(pending)), f"posting #{publication.rank}")
        publication_upload(publication=publication, client=client, account=account)
    rows = Publication.objects.filter(event_id=event_id).order_by("rank")
    return {
        "posted": [p.permalink_url for p in rows if p.status == PublicationStatus.DONE],
        "failed": {p.key: p.error for p in rows if p.status == PublicationStatus.FAILED},
    }


def publications_upload_job(job: Job, progress: Callable[[float, str], None]) -> dict[str, Any]:
    """The `soundcloud_publish` job: its payload names the event and the organiser."""
    return publications_upload(
        event_id=job.payload["event_id"], user_id=job.payload["user_id"], progress=progress
    )
