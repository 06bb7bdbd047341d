"""Connecting SoundCloud (OAuth 2.1 authorization code + PKCE) and posting the winners.

The PKCE verifier and the `state` live in the organiser's server-side session between
/publishing/soundcloud/connect/ and /publishing/soundcloud/callback/; a callback whose state
does not match the one we sent is refused (it is not the answer to our request).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from arena.events.selectors import event_or_404
from arena.publishing.selectors import soundcloud_configured
from arena.publishing.services import (
    publication_request,
    soundcloud_client,
    soundcloud_connect,
    soundcloud_disconnect,
)
from arena.publishing.soundcloud import SoundCloudError, pkce_pair

SESSION_KEY = "soundcloud_oauth"


def _redirect_uri(request: HttpRequest) -> str:
    return settings.SOUNDCLOUD_REDIRECT_URI or request.build_absolute_uri(
        reverse("soundcloud-callback")
    )


def _back(request: HttpRequest, target: str | None) -> HttpResponse:
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("home")


@login_required
@require_GET
def soundcloud_connect_view(request: HttpRequest) -> HttpResponse:
    """Send the organiser to SoundCloud to allow Arena to post tracks."""
    if not request.user.is_organiser:
        raise Http404("Only organisers connect SoundCloud.")
    next_url = request.GET.get("next", "")
    if not soundcloud_configured():
        messages.error(
            request,
            "SoundCloud is not set up on this site: SOUNDCLOUD_CLIENT_ID and "
            "SOUNDCLOUD_CLIENT_SECRET are empty.",
        )
        return _back(request, next_url)
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(32)
    request.session[SESSION_KEY] = {"state": state, "verifier": verifier, "next": next_url}
    url = soundcloud_client().authorize_url(
        redirect_uri=_redirect_uri(request), state=state, code_challenge=challenge
    )
    return redirect(url)


@login_required
@require_GET
def soundcloud_callback_view(request: HttpRequest) -> HttpResponse:
    pending = request.session.pop(SESSION_KEY, None)  # single use, whatever happens next
    state = request.GET.get("state", "")
    if not pending or not state or not secrets.compare_digest(state, pending["state"]):
        messages.error(request, "That SoundCloud answer was not for this request; try again.")
        return redirect("home")
    if request.GET.get("error"):
        messages.error(request, f"SoundCloud was not connected: {request.GET['error']}.")
        return _back(request, pending.get("next"))
    try:
        account = soundcloud_connect(
            user=request.user,
            code=request.GET.get("code", ""),
            code_verifier=pending["verifier"],
            redirect_uri=_redirect_uri(request),
            client=soundcloud_client(),
        )
    except (SoundCloudError, PermissionDenied) as exc:
        messages.error(request, f"SoundCloud was not connected: {exc}")
    else:
        name = account.soundcloud_username or "your account"
        messages.success(request, f"SoundCloud connected as {name}.")
    return _back(request, pending.get("next"))


@login_required
@require_POST
def soundcloud_disconnect_view(request: HttpRequest) -> HttpResponse:
    soundcloud_disconnect(user=request.user)
    messages.success(request, "SoundCloud disconnected; the stored tokens are deleted.")
    return _back(request, request.POST.get("next"))


@login_required
@require_POST
def publish_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The organiser's button: queue posting the winners."""
    event = event_or_404(slug=slug)
    try:
        winners = int(request.POST.get("winners", "3"))
        publication_request(
            event=event, user=request.user, sharing=request.POST.get("sharing", ""), winners=winners
        )
    except ValueError:
        messages.error(request, "Say how many winners to post.")
    except PermissionDenied as exc:
        raise Http404(str(exc)) from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Posting the winners to SoundCloud; this page shows each link.")
    return redirect("judging-desk", slug=slug)
