"""Judging pages: the judge's blind scoring, the organiser's desk, and the leaderboard.

Thin views over arena.judging services and selectors. An entry's files reach a judge through
`entry_file`, which checks the judge's assignment; team pages stay members-only.
"""

from __future__ import annotations

import csv
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from arena.accounts.selectors import user_by_username
from arena.events.models import PHASES, Event, Phase
from arena.events.selectors import event_or_404, phase_timeline, user_runs_event
from arena.events.services import event_phase_move, phase_moves
from arena.judging.anonymous_files import (
    anonymous_midi,
    anonymous_mp3,
    anonymous_musicxml,
    anonymous_roll,
    anonymous_wav,
)
from arena.judging.models import CRITERIA, SCORE_MAX, SCORE_MIN, Criterion, JudgeAssignment
from arena.judging.selectors import (
    entry_get,
    entry_list,
    judge_assignment_get,
    judge_can_hear,
    judge_candidate_list,
    judge_entry_get,
    judge_entry_list,
    judging_progress,
    judging_setup_of,
    leaderboard,
    leaderboard_visible,
    results_published,
)
from arena.judging.services import (
    criterion_weights_set,
    judge_invite,
    results_publish,
    score_save,
)
from arena.publishing.models import Sharing
from arena.publishing.selectors import (
    publication_list,
    publications_by_entry,
    soundcloud_account_of,
    soundcloud_configured,
)
from arena.submissions.models import Composition
from arena.submissions.selectors import composition_metrics_in_words
from arena.visitor_cache import cached_for_visitors

# kind -> (content type, extension, the anonymised copy a judge gets)
FILE_KINDS: dict[str, tuple[str, str, Callable[[bytes], bytes]]] = {
    "audio": ("audio/wav", "wav", anonymous_wav),
    "audio_compressed": ("audio/mpeg", "mp3", anonymous_mp3),
    "roll": ("image/png", "png", anonymous_roll),
    "midi": ("audio/midi", "mid", anonymous_midi),
    "score": ("application/vnd.recordare.musicxml+xml", "musicxml", anonymous_musicxml),
}


def _assignment(request: HttpRequest, event: Event) -> JudgeAssignment:
    assignment = judge_assignment_get(event=event, user=request.user)
    if assignment is None:
        raise Http404("You do not judge this event.")
    return assignment


def _require_organiser(request: HttpRequest, event: Event) -> None:
    if not user_runs_event(user=request.user, event=event):
        raise Http404("Only the event's organisers see this page.")


# The judge --------------------------------------------------------------------------------------


@login_required
@require_GET
def judge_entries(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_or_404(slug=slug)
    assignment = _assignment(request, event)
    entries = judge_entry_list(assignment=assignment)
    return render(
        request,
        "judging/entries.html",
        {
            "event": event,
            "entries": entries,
            "submitted": sum(e.state == "submitted" for e in entries),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def judge_score(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Listen, look at the piano roll, and give the five marks; save a draft or submit."""
    event = event_or_404(slug=slug)
    assignment = _assignment(request, event)
    try:
        entry = judge_entry_get(assignment=assignment, entry_id=pk)
    except Composition.DoesNotExist as exc:
        raise Http404("This entry is not one of yours to score.") from exc
    values: dict[str, str | int | None] = (
        entry.score.values() if entry.score else dict.fromkeys(CRITERIA)
    )
    comment = entry.score.comment if entry.score else ""
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        values = {c: request.POST.get(c, "") for c in CRITERIA}
        comment = request.POST.get("comment", "")
        submit = request.POST.get("action") != "draft"
        try:
            score_save(
                assignment=assignment, entry_id=pk, values=values, comment=comment, submit=submit
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            status = 400
        else:
            messages.success(
                request, f"{entry.label}: {'score submitted' if submit else 'draft saved'}."
            )
            return redirect("judge-entries", slug=slug)
    criteria = [
        {
            "name": c,
            "label": Criterion(c).label,
            "value": str(values.get(c) or ""),
            "errors": errors.get(c, []),
        }
        for c in CRITERIA
    ]
    return render(
        request,
        "judging/score.html",
        {
            "event": event,
            "entry": entry,
            "criteria": criteria,
            "comment": comment,
            "form_errors": errors.get("__all__", []),
            "metrics": composition_metrics_in_words(composition=entry.composition),
            "open": event.phase == "judging",
            "range": range(SCORE_MIN, SCORE_MAX + 1),
        },
        status=status,
    )


@require_GET
def entry_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """An entry's audio, piano roll, MIDI or sheet music: to its judges, to organisers, and to
    everyone once the results are published. Always an anonymised copy named by the entry's
    number, so that nothing a judge hears, sees or downloads names its team or its melody."""
    composition = entry_get(entry_id=pk)
    stored = composition.file_of(kind) if composition is not None else None
    if composition is None or kind not in FILE_KINDS or stored is None:
        raise Http404("No such file.")
    event = composition.team.event
    allowed = (
        results_published(event=event)
        or user_runs_event(user=request.user, event=event)
        or judge_can_hear(user=request.user, composition=composition)
    )
    if not allowed:
        raise Http404("No such file.")
    content_type, extension, anonymise = FILE_KINDS[kind]
    with stored.open("rb") as handle:
        data = anonymise(handle.read())
    response = HttpResponse(data, content_type=content_type)
    disposition = "attachment" if kind in ("midi", "score") else "inline"
    response["Content-Disposition"] = (
        f'{disposition}; filename="entry-{composition.pk}.{extension}"'
    )
    return response


# The organiser ----------------------------------------------------------------------------------


@login_required
@require_GET
def judging_desk(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_or_404(slug=slug)
    _require_organiser(request, event)
    setup = judging_setup_of(event=event)
    return render(
        request,
        "judging/desk.html",
        {
            "event": event,
            "phases": phase_timeline(event=event),
            "phase_moves": _phase_buttons(event),
            "progress": judging_progress(event=event),
            "candidates": judge_candidate_list(event=event),
            "weights": [(c, Criterion(c).label, setup.weights.get(c, 1.0)) for c in CRITERIA],
            "published": results_published(event=event),
            "soundcloud_configured": soundcloud_configured(),
            "soundcloud_stand_in": settings.SOUNDCLOUD_STAND_IN,
            "soundcloud_account": soundcloud_account_of(user=request.user),
            "publications": publication_list(event=event),
            "sharing_choices": Sharing.choices,
        },
    )


def _phase_buttons(event: Event) -> list[tuple[str, str]]:
    """(phase, button text) of each move the organiser may make now."""
    at = PHASES.index(Phase(event.phase))
    return [
        (p, f"{'Back to' if PHASES.index(p) < at else 'Open'} {Phase(p).label.lower()}")
        for p in phase_moves(event=event)
    ]


def _desk_action(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    event = event_or_404(slug=slug)
    _require_organiser(request, event)
    try:
        if action == "invite":
            judge = user_by_username(username=request.POST.get("username", ""))
            if judge is None:
                raise ValidationError("There is no such person.")
            judge_invite(event=event, judge=judge, invited_by=request.user)
            messages.success(request, f"{judge} now judges {event.name}.")
        elif action == "weights":
            weights = {c: request.POST.get(c, "1") for c in CRITERIA}
            criterion_weights_set(
                event=event, weights={c: float(v or 0) for c, v in weights.items()}, by=request.user
            )
            messages.success(request, "Weights saved; the leaderboard uses them at once.")
        elif action == "phase":
            moved = event_phase_move(
                event=event, user=request.user, phase=request.POST.get("phase", "")
            )
            messages.success(
                request, f"{moved.name} is now in its {moved.get_phase_display().lower()} phase."
            )
        elif action == "publish":
            results_publish(event=event, by=request.user)
            messages.success(request, "Results published: the leaderboard is public.")
    except ValueError:
        messages.error(request, "Weights are numbers from 0 to 10.")
    except (ValidationError, PermissionDenied) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text)
    return redirect("judging-desk", slug=slug)


@login_required
@require_POST
def judge_invite_view(request: HttpRequest, slug: str) -> HttpResponse:
    return _desk_action(request, slug, "invite")


@login_required
@require_POST
def weights_view(request: HttpRequest, slug: str) -> HttpResponse:
    return _desk_action(request, slug, "weights")


@login_required
@require_POST
def phase_view(request: HttpRequest, slug: str) -> HttpResponse:
    return _desk_action(request, slug, "phase")


@login_required
@require_POST
def results_publish_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Closing judging cannot be undone: the first POST shows who has not finished and asks; the
    confirmed one publishes (a plain form, so it works without JavaScript)."""
    if request.POST.get("confirmed") == "yes":
        return _desk_action(request, slug, "publish")
    event = event_or_404(slug=slug)
    _require_organiser(request, event)
    progress = judging_progress(event=event)
    return render(
        request,
        "judging/publish_confirm.html",
        {
            "event": event,
            "unfinished": [p for p in progress if not p.done],
            "judges": len(progress),
            "entries": entry_list(event=event).count(),
        },
    )


# The leaderboard --------------------------------------------------------------------------------


def _visible_leaderboard(request: HttpRequest, slug: str) -> tuple[Event, list]:
    event = event_or_404(slug=slug)
    if not leaderboard_visible(event=event, user=request.user):
        raise Http404("The results are not published yet.")
    return event, leaderboard(event=event)


@require_GET
@cached_for_visitors
def leaderboard_page(request: HttpRequest, slug: str) -> HttpResponse:
    event, rows = _visible_leaderboard(request, slug)
    view = "raw" if request.GET.get("view") == "raw" else "normalised"
    publications = publications_by_entry(event=event)
    table = [
        {
            "row": row,
            "criteria": row.result.raw if view == "raw" else row.result.normalised,
            "total": row.result.raw_total if view == "raw" else row.result.total,
            "publication": publications.get(row.composition.pk),
        }
        for row in rows
    ]
    return render(
        request,
        "judging/leaderboard.html",
        {
            "event": event,
            "table": table,
            "view": view,
            "criteria": [(c, Criterion(c).label) for c in CRITERIA],
            "published": results_published(event=event),
            "flat": view == "normalised" and _all_even(rows),
        },
    )


def _all_even(rows: list) -> bool:
    """Whether normalising left every entry at 0 (each judge scored one entry, or gave all the
    same marks): the page then says why and points to the raw marks, which decide the order."""
    return bool(rows) and all(
        abs(row.result.total) < 0.005
        and all(abs(v) < 0.005 for v in row.result.normalised.values())
        for row in rows
    )


@require_GET
def leaderboard_csv(request: HttpRequest, slug: str) -> HttpResponse:
    event, rows = _visible_leaderboard(request, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-leaderboard.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["rank", "team", "entry", "judges", "score", "raw_score"]
        + [f"{c}_normalised" for c in CRITERIA]
        + [f"{c}_raw" for c in CRITERIA]
    )
    for row in rows:
        r = row.result
        writer.writerow(
            [
                row.rank,
                row.team,
                row.composition.pk,
                r.judges,
                f"{r.total:.4f}",
                f"{r.raw_total:.2f}",
            ]
            + [f"{r.normalised[c]:.4f}" for c in CRITERIA]
            + [f"{r.raw[c]:.2f}" for c in CRITERIA]
        )
    return response
