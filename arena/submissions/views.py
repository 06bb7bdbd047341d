"""The team's pages: thin views over the services and selectors. A team's work is shown to its
members only; everyone else gets 404, so the pages do not even reveal that it exists."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from arena.api.token_files import accepts_api_token
from arena.events.models import Event, Phase, Team
from arena.events.selectors import event_or_404, team_by_invite_code
from arena.events.services import team_create, team_join
from arena.submissions.editor_melody import editor_settings
from arena.submissions.forms import (
    CompositionForm,
    MelodyEditorForm,
    MelodySampleForm,
    MelodyUploadForm,
    TeamCreateForm,
    TeamJoinForm,
)
from arena.submissions.input_words import input_error_in_words
from arena.submissions.models import Composition, Melody
from arena.submissions.selectors import (
    composition_get_for_user,
    composition_history,
    composition_metrics_in_words,
    melody_get_for_user,
    melody_list,
    team_of_user,
)
from arena.submissions.services import (
    MELODY_PHASES,
    composition_create,
    composition_retry,
    composition_submit,
    melody_create_from_notes,
    melody_create_from_sample,
    melody_create_from_upload,
)
from arena.submissions.teacher_marks import composition_teacher_marks
from arena.training.selectors import team_model_list
from composer.errors import InputError

FILE_KINDS = {
    "midi": ("audio/midi", "mid"),
    "audio": ("audio/wav", "wav"),
    "audio_compressed": ("audio/mpeg", "mp3"),
    "roll": ("image/png", "png"),
    "score": ("application/vnd.recordare.musicxml+xml", "musicxml"),
}
DOWNLOADS = ("midi", "score")  # saved to disk; audio and the roll show in the page


def _messages_of(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# Teams ------------------------------------------------------------------------------------------


@login_required
@require_POST
def team_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_or_404(slug=slug)
    form = TeamCreateForm(request.POST)
    if form.is_valid():
        try:
            team_create(event=event, name=form.cleaned_data["name"], founder=request.user)
        except ValidationError as exc:
            messages.error(request, _messages_of(exc))
            return redirect("event-detail", slug=slug)
        messages.success(request, "Your team is ready: share the invite code with your mates.")
        return redirect("studio", slug=slug)
    messages.error(request, "Give your team a name.")
    return redirect("event-detail", slug=slug)


@login_required
@require_POST
def team_join_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_or_404(slug=slug)
    form = TeamJoinForm(request.POST)
    code = form.data.get("invite_code", "").strip()
    team = team_by_invite_code(event=event, code=code)
    if team is None:
        messages.error(request, "No team of this event has that invite code.")
        return redirect("event-detail", slug=slug)
    try:
        team_join(team=team, user=request.user)
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
        return redirect("event-detail", slug=slug)
    messages.success(request, f"Welcome to {team.name}!")
    return redirect("studio", slug=slug)


# The studio -------------------------------------------------------------------------------------


StudioView = Callable[[HttpRequest, Event, Team], HttpResponse]


def _in_team_studio(view: StudioView) -> Callable[[HttpRequest, str], HttpResponse]:
    """A studio view gets the event and the user's team; without a team, the event page says
    how to form or join one."""

    @wraps(view)
    def with_team(request: HttpRequest, slug: str) -> HttpResponse:
        event = event_or_404(slug=slug)
        team = team_of_user(event=event, user=request.user)
        if team is None:
            messages.info(request, "Form or join a team first: the studio belongs to a team.")
            return redirect("event-detail", slug=slug)
        return view(request, event, team)

    return with_team


def _studio(
    request: HttpRequest, event: Event, team: Team, status: int = 200, **forms: Any
) -> HttpResponse:
    melodies = list(melody_list(team=team))
    compose_form = forms.get("compose_form") or CompositionForm(
        team_models=team_model_list(team=team)
    )
    return render(
        request,
        "submissions/studio.html",
        {
            "event": event,
            "team": team,
            "melodies": melodies,
            "history": composition_history(team=team),
            "can_choose_entry": event.phase == Phase.COMPOSING,
            "can_add_melody": event.phase in MELODY_PHASES,
            "can_compose": event.phase == Phase.COMPOSING,
            "upload_form": forms.get("upload_form") or MelodyUploadForm(),
            "sample_form": forms.get("sample_form") or MelodySampleForm(),
            "editor_form": forms.get("editor_form") or MelodyEditorForm(),
            "editor": editor_settings(),
            "compose_form": compose_form,
            "selected_melody": forms.get("selected_melody")
            or (melodies[0].pk if melodies else None),
        },
        status=status,
    )


@login_required
@require_GET
@_in_team_studio
def studio(request: HttpRequest, event: Event, team: Team) -> HttpResponse:
    return _studio(request, event, team)


@login_required
@require_POST
@_in_team_studio
def melody_upload(request: HttpRequest, event: Event, team: Team) -> HttpResponse:
    form = MelodyUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            melody = melody_create_from_upload(
                team=team,
                user=request.user,
                data=upload.read(),
                filename=upload.name,
                title=form.cleaned_data["title"],
            )
        except InputError as exc:
            form.add_error("file", f"We could not use this file: {input_error_in_words(str(exc))}.")
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(
                None, str(exc) if isinstance(exc, PermissionDenied) else _messages_of(exc)
            )
        else:
            messages.success(
                request, f"Added “{melody.title}”: {melody.bars} bars, {melody.notes} notes."
            )
            return redirect("studio", slug=event.slug)
    return _studio(request, event, team, status=400, upload_form=form)


@login_required
@require_POST
@_in_team_studio
def melody_sample(request: HttpRequest, event: Event, team: Team) -> HttpResponse:
    form = MelodySampleForm(request.POST)
    if form.is_valid():
        try:
            melody = melody_create_from_sample(
                team=team, user=request.user, slug=form.cleaned_data["sample"]
            )
        except ValidationError as exc:
            form.add_error(None, _messages_of(exc))
        else:
            messages.success(request, f"Added “{melody.title}”.")
            return redirect("studio", slug=event.slug)
    return _studio(request, event, team, status=400, sample_form=form)


@login_required
@require_POST
@_in_team_studio
def melody_editor_save(request: HttpRequest, event: Event, team: Team) -> HttpResponse:
    """The melody entered in the editor; a refused one comes back with its notes and the reason."""
    form = MelodyEditorForm(request.POST)
    if form.is_valid():
        try:
            melody = melody_create_from_notes(team=team, user=request.user, **form.cleaned_data)
        except InputError as exc:
            form.add_error(None, f"We could not use this melody: {exc}.")
        except ValidationError as exc:
            form.add_error(None, _messages_of(exc))
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"Added “{melody.title}”: {melody.bars} bars, {melody.notes} notes."
            )
            return redirect("studio", slug=event.slug)
    return _studio(request, event, team, status=400, editor_form=form)


@login_required
@require_POST
@_in_team_studio
def compose_view(request: HttpRequest, event: Event, team: Team) -> HttpResponse:
    form = CompositionForm(request.POST, team_models=team_model_list(team=team))
    melody_id = request.POST.get("melody", "")
    try:
        melody = melody_get_for_user(melody_id=int(melody_id), user=request.user)
    except (ValueError, Melody.DoesNotExist):
        form.add_error(None, "Choose one of your team's melodies.")
        return _studio(request, event, team, status=400, compose_form=form)
    if form.is_valid():
        try:
            composition = composition_create(melody=melody, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _messages_of(exc))
        else:
            return redirect("composition-detail", pk=composition.pk)
    return _studio(request, event, team, status=400, compose_form=form, selected_melody=melody.pk)


# A composition ----------------------------------------------------------------------------------


def _composition(request: HttpRequest, pk: int) -> Composition:
    try:
        return composition_get_for_user(composition_id=pk, user=request.user)
    except Composition.DoesNotExist as exc:
        raise Http404("No such composition.") from exc


@login_required
@require_GET
def composition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    composition = _composition(request, pk)
    return render(
        request,
        "submissions/composition.html",
        {
            "composition": composition,
            "event": composition.team.event,
            "job": composition.job,
            "metrics": composition_metrics_in_words(composition=composition),
            "marks": composition_teacher_marks(composition=composition),
            "warnings": composition.job.result.get("warnings", []),
        },
    )


@login_required
@require_POST
def composition_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    composition = _composition(request, pk)
    try:
        composition_submit(composition=composition, user=request.user)
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
    else:
        messages.success(request, "This piece is now your team's entry.")
    return redirect("composition-detail", pk=pk)


@login_required
@require_POST
def composition_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    composition = _composition(request, pk)
    try:
        composition_retry(composition=composition, user=request.user)
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
    return redirect("composition-detail", pk=pk)


@accepts_api_token
@login_required
@require_GET
def composition_file(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    """A finished piece's MIDI, audio, piano roll or sheet music, to the team's members only."""
    composition = _composition(request, pk)
    stored = composition.file_of(kind)
    if kind not in FILE_KINDS or stored is None:
        raise Http404("No such file.")
    content_type, extension = FILE_KINDS[kind]
    name = f"{composition.melody.title}-{composition.pk}.{extension}"
    return FileResponse(
        stored.open("rb"),
        content_type=content_type,
        as_attachment=kind in DOWNLOADS,
        filename=name,
    )


@accepts_api_token
@login_required
@require_GET
def melody_file(request: HttpRequest, pk: int) -> FileResponse:
    try:
        melody = melody_get_for_user(melody_id=pk, user=request.user)
    except Melody.DoesNotExist as exc:
        raise Http404("No such melody.") from exc
    return FileResponse(
        melody.midi.open("rb"),
        content_type="audio/midi",
        as_attachment=True,
        filename=f"{melody.title}.mid",
    )


def composition_file_url(composition: Composition, kind: str) -> str | None:
    """The URL of a finished piece's file, or None while there is none."""
    if composition.file_of(kind) is None:
        return None
    return reverse("composition-file", kwargs={"pk": composition.pk, "kind": kind})
