"""Training pages: a team trains its own GAN and watches it learn; organisers oversee all runs.

Thin views over arena.training services and selectors. A run's page polls `status.json` and draws
the curves with static/js/training.js.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from arena.events.models import Event
from arena.events.selectors import event_or_404, user_runs_event
from arena.submissions.selectors import team_of_user
from arena.training.forms import TrainingForm, TrainingPolicyForm
from arena.training.model_card import model_card_rows, model_card_settings
from arena.training.models import TrainingRun
from arena.training.selectors import (
    training_get_for_user,
    training_list,
    training_list_for_event,
    training_policy_get,
    training_status,
    training_usage,
)
from arena.training.services import (
    budget_seconds_of,
    training_cancel,
    training_policy_set,
    training_start,
)

SAMPLE_KINDS = {"midi": "audio/midi", "audio": "audio/wav"}


def _training(request: HttpRequest, pk: int) -> TrainingRun:
    try:
        return training_get_for_user(training_id=pk, user=request.user)
    except TrainingRun.DoesNotExist as exc:
        raise Http404("No such training.") from exc


def _page(
    request: HttpRequest, event: Event, form: TrainingForm, status: int = 200
) -> HttpResponse:
    team = team_of_user(event=event, user=request.user)
    policy = training_policy_get(event=event)
    return render(
        request,
        "training/team.html",
        {
            "event": event,
            "team": team,
            "form": form,
            "policy": policy,
            "budget_minutes": budget_seconds_of(policy=policy) / 60,
            "trainings": training_list(team=team) if team else [],
        },
        status=status,
    )


@login_required
@require_GET
def training_page(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_or_404(slug=slug)
    if team_of_user(event=event, user=request.user) is None:
        messages.info(request, "Form or join a team first: a model belongs to a team.")
        return redirect("event-detail", slug=slug)
    return _page(request, event, TrainingForm())


@login_required
@require_POST
def training_start_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_or_404(slug=slug)
    team = team_of_user(event=event, user=request.user)
    if team is None:
        return redirect("event-detail", slug=slug)
    form = TrainingForm(request.POST)
    if form.is_valid():
        try:
            training = training_start(team=team, user=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            return redirect("training-detail", pk=training.pk)
    return _page(request, event, form, status=400)


@login_required
@require_GET
def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    training = _training(request, pk)
    event = training.team.event
    return render(
        request,
        "training/detail.html",
        {
            "training": training,
            "event": event,
            "status": training_status(training=training),
            "card": model_card_rows(training=training) if training.is_ready else None,
            "settings": model_card_settings(training=training),
            "is_member": training.team.memberships.filter(user_id=request.user.pk).exists(),
            "runs_event": user_runs_event(user=request.user, event=event),
        },
    )


@login_required
@require_GET
def training_status_json(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse(training_status(training=_training(request, pk)))


@login_required
@require_POST
def training_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    training = _training(request, pk)
    try:
        training_cancel(training=training, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        raise Http404("No such training.") from exc
    else:
        messages.success(request, "Stopping the training.")
    if request.POST.get("back") == "desk":  # the organiser stopped it from the desk
        return redirect("training-desk", slug=training.team.event.slug)
    return redirect("training-detail", pk=pk)


@login_required
@require_GET
def training_sample(request: HttpRequest, pk: int, step: int, kind: str) -> FileResponse:
    training = _training(request, pk)
    sample = next((s for s in training.samples if s["step"] == step), None)
    if kind not in SAMPLE_KINDS or sample is None or not sample.get(kind):
        raise Http404("No such sample.")
    if not default_storage.exists(sample[kind]):  # the shared storage, on any backend
        raise Http404("No such sample.")
    return FileResponse(
        default_storage.open(sample[kind], "rb"),
        content_type=SAMPLE_KINDS[kind],
        as_attachment=kind == "midi",
        filename=f"{training.name}-step-{step}.{'mid' if kind == 'midi' else 'wav'}",
    )


# The organiser's view ---------------------------------------------------------------------------


def _require_organiser(request: HttpRequest, event: Event) -> None:
    if not user_runs_event(user=request.user, event=event):
        raise Http404("No such page.")


@login_required
@require_GET
def training_desk(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_or_404(slug=slug)
    _require_organiser(request, event)
    policy = training_policy_get(event=event)
    form = TrainingPolicyForm(
        initial={
            "minutes_per_job": policy.minutes_per_job,
            "max_concurrent_per_team": policy.max_concurrent_per_team,
            "max_total_per_team": policy.max_total_per_team,
        }
    )
    return _desk(request, event, form)


def _desk(
    request: HttpRequest, event: Event, form: TrainingPolicyForm, status: int = 200
) -> HttpResponse:
    policy = training_policy_get(event=event)
    return render(
        request,
        "training/desk.html",
        {
            "event": event,
            "form": form,
            "budget_minutes": budget_seconds_of(policy=policy) / 60,
            "usage": training_usage(event=event),
            "trainings": training_list_for_event(event=event),
        },
        status=status,
    )


@login_required
@require_POST
def training_policy_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_or_404(slug=slug)
    _require_organiser(request, event)
    form = TrainingPolicyForm(request.POST)
    if form.is_valid():
        try:
            training_policy_set(event=event, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, "Training policy saved.")
            return redirect("training-desk", slug=slug)
    return _desk(request, event, form, status=400)  # the refusal beside the field
