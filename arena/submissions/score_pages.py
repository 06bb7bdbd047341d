"""The pages that show music as sheet music and play it in the browser: a saved melody (with its
notes for the editor to reopen) and two of a team's pieces side by side. Members only, as the
rest of the studio; everyone else gets 404."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from arena.events.selectors import event_or_404
from arena.submissions.models import Composition, Melody
from arena.submissions.selectors import (
    COMPARED,
    composition_get_for_user,
    composition_metrics_in_words,
    melody_get_for_user,
)
from composer.midi.melody import extract_melody
from composer.render.notation import write_musicxml

MUSICXML = "application/vnd.recordare.musicxml+xml"


def _melody(request: HttpRequest, pk: int) -> Melody:
    try:
        return melody_get_for_user(melody_id=pk, user=request.user)
    except Melody.DoesNotExist as exc:
        raise Http404("No such melody.") from exc


@login_required
@require_GET
def melody_detail(request: HttpRequest, pk: int) -> HttpResponse:
    melody = _melody(request, pk)
    return render(
        request, "submissions/melody.html", {"melody": melody, "event": melody.team.event}
    )


@login_required
@require_GET
def melody_sheet_music(request: HttpRequest, pk: int) -> HttpResponse:
    """The melody as one-staff MusicXML, engraved from its MIDI file."""
    melody = _melody(request, pk)
    score = extract_melody(melody.midi.read(), name=melody.title).score
    with tempfile.TemporaryDirectory(prefix="melody-") as folder:
        data = write_musicxml(score, Path(folder) / "melody.musicxml", title=melody.title)
        return HttpResponse(data.read_bytes(), content_type=MUSICXML)


@login_required
@require_GET
def melody_notes(request: HttpRequest, pk: int) -> JsonResponse:
    """What the melody editor needs to reopen the melody: its notes in 16th-note steps."""
    melody = _melody(request, pk)
    score = extract_melody(melody.midi.read(), name=melody.title).score
    notes = [
        {"pitch": int(pitch), "start": int(start), "duration": int(end - start)}
        for start, end, pitch in score.notes(0)
    ]
    return JsonResponse(
        {
            "title": melody.title,
            "meter": melody.meter,
            "tempo": round(melody.tempo_bpm),
            "notes": notes,
        }
    )


def _finished_piece(request: HttpRequest, pk: str | None, slug: str) -> Composition:
    try:
        piece = composition_get_for_user(composition_id=int(pk or ""), user=request.user)
    except (ValueError, Composition.DoesNotExist) as exc:
        raise Http404("No such piece.") from exc
    if piece.team.event.slug != slug or not piece.is_done:
        raise Http404("No such finished piece.")
    return piece


@login_required
@require_GET
def composition_compare(request: HttpRequest, slug: str) -> HttpResponse:
    """Two of the team's finished pieces side by side: scores, players and key numbers."""
    event = event_or_404(slug=slug)
    pieces = [_finished_piece(request, request.GET.get(k), slug) for k in ("a", "b")]
    return render(
        request,
        "submissions/compare.html",
        {
            "event": event,
            "pieces": [
                {
                    "composition": c,
                    "slot": slot,
                    "compared": composition_metrics_in_words(composition=c, keys=COMPARED),
                }
                for slot, c in zip("ab", pieces, strict=True)
            ],
        },
    )
