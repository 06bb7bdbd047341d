"""The account pages of our own (allauth serves sign-up, log-in and the rest)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from arena.accounts.services import api_token_get_or_create, api_token_renew
from arena.events.selectors import event_list


@login_required
@require_http_methods(["GET", "POST"])
def api_token_page(request: HttpRequest) -> HttpResponse:
    """The user's API token and how to use it; POST renews it."""
    if request.method == "POST":
        api_token_renew(user=request.user)
        messages.success(request, "A new token is ready; the old one no longer works.")
        return redirect("api-token-page")
    events = list(event_list())
    return render(
        request,
        "accounts/api_token.html",
        {
            "token": api_token_get_or_create(user=request.user),
            "site": request.build_absolute_uri("/").rstrip("/"),
            "event": events[0] if events else None,
        },
    )
