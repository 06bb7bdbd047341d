"""The organisers' queue page: every job of their event, its place in line, and a requeue or
cancel button. Thin views over arena.jobs services and selectors."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from arena.events.models import Event
from arena.events.selectors import event_or_404, user_runs_event
from arena.jobs.selectors import event_queue, job_in_event
from arena.jobs.services import job_cancel, job_requeue


def _organised_event(request: HttpRequest, slug: str) -> Event:
    event = event_or_404(slug=slug)
    if not user_runs_event(user=request.user, event=event):
        raise Http404("Only the event's organisers see this page.")
    return event


@login_required
@require_GET
def queue_page(request: HttpRequest, slug: str) -> HttpResponse:
    event = _organised_event(request, slug)
    return render(
        request,
        "jobs/queue.html",
        {
            "event": event,
            "queue": event_queue(event=event),
            "in_flight": settings.ARENA_JOBS_IN_FLIGHT,
            "resend_after": settings.ARENA_JOB_RESEND_AFTER_S,
        },
    )


def _act(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    event = _organised_event(request, slug)
    if not job_in_event(job_id=pk, event=event):
        raise Http404("No such job in this event.")
    try:
        if action == "requeue":
            job_requeue(job_id=pk, user=request.user)
            messages.success(request, f"Job #{pk} is back in line.")
        else:
            job_cancel(job_id=pk, user=request.user)
            messages.success(request, f"Job #{pk} is cancelled.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        raise Http404("Only the event's organisers manage its queue.") from exc
    return redirect("job-queue", slug=slug)


@login_required
@require_POST
def requeue_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _act(request, slug, pk, "requeue")


@login_required
@require_POST
def cancel_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _act(request, slug, pk, "cancel")
