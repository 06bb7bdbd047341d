"""REST API for judging and the leaderboard (DESIGN §6): thin views over the same selectors and
services. Judges see entries anonymised; the leaderboard is 404 until the results are published."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.decorators import method_decorator
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from arena.events.selectors import event_or_404
from arena.judging.models import CRITERIA, SCORE_MAX, SCORE_MIN
from arena.judging.selectors import (
    JudgeEntry,
    judge_assignment_get,
    judge_entry_list,
    leaderboard,
    leaderboard_visible,
)
from arena.judging.services import score_save
from arena.publishing.selectors import publications_by_entry
from arena.submissions.models import Composition
from arena.visitor_cache import cached_for_visitors


def _abs(request: Request, name: str, pk: int, kind: str) -> str:
    return request.build_absolute_uri(reverse(name, kwargs={"pk": pk, "kind": kind}))


class CriteriaSerializer(serializers.Serializer):
    originality = serializers.FloatField()
    rhythm = serializers.FloatField()
    accompaniment = serializers.FloatField()
    cleanliness = serializers.FloatField()
    emotion = serializers.FloatField()


def _mark() -> serializers.IntegerField:
    # Required for a submitted score; the service says which are missing (a draft may skip them).
    return serializers.IntegerField(
        min_value=SCORE_MIN, max_value=SCORE_MAX, allow_null=True, required=False
    )


class ScoreInputSerializer(serializers.Serializer):
    originality = _mark()
    rhythm = _mark()
    accompaniment = _mark()
    cleanliness = _mark()
    emotion = _mark()
    comment = serializers.CharField(allow_blank=True, required=False, max_length=4000)
    draft = serializers.BooleanField(
        default=False, help_text="Save as a draft: marks may be left empty (null)."
    )


class ScoreSerializer(serializers.Serializer):
    entry = serializers.IntegerField(source="entry_id")
    originality = serializers.IntegerField(allow_null=True)
    rhythm = serializers.IntegerField(allow_null=True)
    accompaniment = serializers.IntegerField(allow_null=True)
    cleanliness = serializers.IntegerField(allow_null=True)
    emotion = serializers.IntegerField(allow_null=True)
    comment = serializers.CharField()
    submitted = serializers.BooleanField()
    updated_at = serializers.DateTimeField()


class JudgeEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField(help_text='"Entry A", "Entry B", … in your own order.')
    state = serializers.CharField(help_text="to score, draft or submitted")
    audio_url = serializers.CharField(allow_null=True)
    roll_url = serializers.CharField(allow_null=True)
    midi_url = serializers.CharField(allow_null=True)
    score_url = serializers.CharField(allow_null=True, help_text="Sheet music (MusicXML).")
    metrics = serializers.DictField(help_text="Automatic measurements: a hint, not a score.")
    score = ScoreSerializer(allow_null=True)


def _judge_entry(request: Request, entry: JudgeEntry) -> dict:
    c = entry.composition
    return {
        "id": entry.id,
        "label": entry.label,
        "state": entry.state,
        "audio_url": _abs(request, "entry-file", c.pk, "audio") if c.audio else None,
        "roll_url": _abs(request, "entry-file", c.pk, "roll") if c.roll else None,
        "midi_url": _abs(request, "entry-file", c.pk, "midi") if c.midi else None,
        "score_url": _abs(request, "entry-file", c.pk, "score") if c.sheet_music else None,
        "metrics": c.metrics,
        "score": ScoreSerializer(entry.score).data if entry.score else None,
    }


class EventEntriesApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="event_entries_for_judge",
        responses={
            200: JudgeEntrySerializer(many=True),
            403: OpenApiResponse(description="You do not judge this event."),
        },
        tags=["judging"],
    )
    def get(self, request: Request, slug: str) -> Response:
        """The entries you score, anonymised, in your own order (never your own team's)."""
        event = event_or_404(slug=slug)
        assignment = judge_assignment_get(event=event, user=request.user)
        if assignment is None:
            raise PermissionDenied("You do not judge this event.")
        entries = judge_entry_list(assignment=assignment)
        return Response([_judge_entry(request, e) for e in entries])


class ScoreCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="entry_score",
        request=ScoreInputSerializer,
        responses={
            201: ScoreSerializer,
            400: OpenApiResponse(description="A mark outside 1–10, or judging is not open."),
            403: OpenApiResponse(description="Not one of your entries to score."),
        },
        tags=["judging"],
    )
    def post(self, request: Request, pk: int) -> Response:
        """Score an entry (1–10 on each criterion, with a comment); send again to change it."""
        composition = Composition.objects.select_related("team__event").filter(pk=pk).first()
        assignment = (
            judge_assignment_get(event=composition.team.event, user=request.user)
            if composition
            else None
        )
        if assignment is None:
            raise PermissionDenied("Only the event's judges score its entries.")
        data = ScoreInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = {c: data.validated_data.get(c) for c in CRITERIA}
        score = score_save(
            assignment=assignment,
            entry_id=pk,
            values=values,
            comment=data.validated_data.get("comment", ""),
            submit=not data.validated_data["draft"],
        )
        return Response(ScoreSerializer(score).data, status=status.HTTP_201_CREATED)


class LeaderboardEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    model = serializers.CharField(help_text="Which model made the entry, for people.")
    audio_url = serializers.CharField(allow_null=True)
    soundcloud_url = serializers.CharField(allow_null=True)


class LeaderboardRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    team = serializers.CharField()
    entry = LeaderboardEntrySerializer()
    score = serializers.FloatField(help_text="Weighted mean of the normalised criteria.")
    criteria = CriteriaSerializer(help_text="Per criterion: mean z-score over the judges.")
    raw_score = serializers.FloatField(help_text="Weighted mean of the raw marks.")
    raw_criteria = CriteriaSerializer(help_text="Per criterion: mean raw mark (1–10).")
    judges = serializers.IntegerField()


@method_decorator(cached_for_visitors, name="dispatch")
class LeaderboardApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="event_leaderboard",
        responses={
            200: LeaderboardRowSerializer(many=True),
            404: OpenApiResponse(description="No such event, or results not published yet."),
        },
        tags=["judging"],
    )
    def get(self, request: Request, slug: str) -> Response:
        """The ranked entries, once the organiser has published the results."""
        event = event_or_404(slug=slug)
        if not leaderboard_visible(event=event, user=request.user):
            raise Http404("The results are not published yet.")
        posted = publications_by_entry(event=event)
        rows = []
        for row in leaderboard(event=event):
            c, r = row.composition, row.result
            publication = posted.get(c.pk)
            rows.append(
                {
                    "rank": row.rank,
                    "team": row.team,
                    "entry": {
                        "id": c.pk,
                        "title": c.melody.title,
                        "model": c.model_label,
                        "audio_url": _abs(request, "entry-file", c.pk, "audio")
                        if c.audio
                        else None,
                        "soundcloud_url": publication.permalink_url or None
                        if publication
                        else None,
                    },
                    "score": round(r.total, 4),
                    "criteria": {k: round(v, 4) for k, v in r.normalised.items()},
                    "raw_score": round(r.raw_total, 3),
                    "raw_criteria": {k: round(v, 3) for k, v in r.raw.items()},
                    "judges": r.judges,
                }
            )
        return Response(LeaderboardRowSerializer(rows, many=True).data)
