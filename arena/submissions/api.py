"""REST API for melodies and compositions (DESIGN §6): thin views over the same services.

Only a team's members reach its melodies and compositions; for anyone else they do not exist
(404). Bad MIDI files and bad controls are 400 with the reason; a full team queue is 429.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from arena.events.selectors import event_or_404
from arena.submissions.editor_melody import (
    DEFAULT_TEMPO,
    EDITOR_METERS,
    HIGHEST_PITCH,
    LOWEST_PITCH,
    MAX_BARS,
    TEMPO_RANGE,
)
from arena.submissions.input_words import input_error_in_words
from arena.submissions.models import ComposerModel, Composition, Melody, Style
from arena.submissions.selectors import (
    composition_get_for_user,
    melody_get_for_user,
    team_of_user_or_404,
)
from arena.submissions.services import (
    MAX_SEED,
    RISK_RANGE,
    SECONDS_RANGE,
    composition_create,
    composition_submit,
    melody_create_from_notes,
    melody_create_from_sample,
    melody_create_from_upload,
    upload_size_error,
)
from arena.submissions.views import composition_file_url
from composer.data.samples import sample_melodies
from composer.errors import InputError


class MelodyInputSerializer(serializers.Serializer):
    file = serializers.FileField(required=False, help_text="A MIDI file (type 0 or 1).")
    sample = serializers.ChoiceField(
        choices=[s.slug for s in sample_melodies()],
        required=False,
        help_text="Instead of a file: the slug of a sample melody.",
    )
    title = serializers.CharField(max_length=120, required=False, allow_blank=True)

    def validate_file(self, upload):  # type: ignore[no-untyped-def]
        if error := upload_size_error(upload.size):  # refused before its bytes are read
            raise serializers.ValidationError(error)
        return upload

    def validate(self, attrs: dict) -> dict:
        if ("file" in attrs) == ("sample" in attrs):
            raise serializers.ValidationError("Send either a MIDI file or a sample slug.")
        return attrs


class MelodySerializer(serializers.ModelSerializer):
    class Meta:
        model = Melody
        fields = ["id", "title", "source", "bars", "notes", "key", "meter", "tempo_bpm", "warnings"]


class EditorNoteSerializer(serializers.Serializer):
    pitch = serializers.IntegerField(
        help_text=f"MIDI note number, {LOWEST_PITCH} (F3) to {HIGHEST_PITCH} (C6); 60 is middle C."
    )
    start = serializers.IntegerField(help_text="16th notes from the first bar line.")
    duration = serializers.IntegerField(help_text="Length in 16th notes (4 is a quarter note).")


class MelodyNotesInputSerializer(serializers.Serializer):
    """Types only: the melody's rules (range, overlaps, length) are the service's, one place."""

    notes = EditorNoteSerializer(
        many=True,
        help_text=f"One note at a time (no overlaps), within {MAX_BARS} bars.",
    )
    meter = serializers.ChoiceField(choices=list(EDITOR_METERS), default="4/4")
    tempo = serializers.FloatField(
        default=DEFAULT_TEMPO,
        help_text=f"Quarter notes per minute, {TEMPO_RANGE[0]} to {TEMPO_RANGE[1]}.",
    )
    title = serializers.CharField(max_length=120, allow_blank=True, default="")


class CompositionInputSerializer(serializers.Serializer):
    model = serializers.CharField(
        default=ComposerModel.HYBRID,
        max_length=20,
        help_text="gan, arcnn or hybrid, or team:<id> for one of your team's trained models "
        "(GET /api/events/{slug}/models/).",
    )
    style = serializers.ChoiceField(choices=Style.choices, default=Style.BAROQUE)
    risk = serializers.FloatField(min_value=RISK_RANGE[0], max_value=RISK_RANGE[1], default=1.0)
    seed = serializers.IntegerField(min_value=0, max_value=MAX_SEED, default=0)
    seconds = serializers.IntegerField(
        min_value=SECONDS_RANGE[0], max_value=SECONDS_RANGE[1], default=60
    )


class CompositionSerializer(serializers.ModelSerializer):
    status = serializers.CharField(source="job.status", help_text="queued, running, done or failed")
    progress = serializers.FloatField(source="job.progress", help_text="0 to 1")
    message = serializers.CharField(source="job.message", help_text="What the job is doing now.")
    error = serializers.CharField(source="job.error", help_text="Why it failed, when it failed.")
    midi_url = serializers.SerializerMethodField()
    audio_url = serializers.SerializerMethodField()
    roll_url = serializers.SerializerMethodField()
    score_url = serializers.SerializerMethodField()

    class Meta:
        model = Composition
        fields = [
            "id",
            "melody",
            "model",
            "team_model",
            "style",
            "risk",
            "seed",
            "seconds",
            "status",
            "progress",
            "message",
            "error",
            "midi_url",
            "audio_url",
            "roll_url",
            "score_url",
            "metrics",
            "is_entry",
            "created_at",
        ]
        read_only_fields = fields

    def _url(self, composition: Composition, kind: str) -> str | None:
        url = composition_file_url(composition, kind)
        request = self.context.get("request")
        return request.build_absolute_uri(url) if url and request else url

    def get_midi_url(self, composition: Composition) -> str | None:
        return self._url(composition, "midi")

    def get_audio_url(self, composition: Composition) -> str | None:
        return self._url(composition, "audio")

    def get_roll_url(self, composition: Composition) -> str | None:
        return self._url(composition, "roll")

    def get_score_url(self, composition: Composition) -> str | None:
        """Sheet music as MusicXML, for MuseScore, Sibelius, Finale or Dorico."""
        return self._url(composition, "score")


class MelodyCreateApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="event_melody_create",
        request={"multipart/form-data": MelodyInputSerializer},
        responses={
            201: MelodySerializer,
            400: OpenApiResponse(description="Not a usable MIDI file; the reason is given."),
            404: OpenApiResponse(description="No such event, or you have no team in it."),
        },
        tags=["melodies"],
    )
    def post(self, request: Request, slug: str) -> Response:
        """Add a melody to your team: a MIDI file (multipart `file`) or a `sample` slug."""
        event = event_or_404(slug=slug)
        team = team_of_user_or_404(event=event, user=request.user)
        data = MelodyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            if "file" in data.validated_data:
                upload = data.validated_data["file"]
                melody = melody_create_from_upload(
                    team=team,
                    user=request.user,
                    data=upload.read(),
                    filename=upload.name,
                    title=data.validated_data.get("title", ""),
                )
            else:
                melody = melody_create_from_sample(
                    team=team, user=request.user, slug=data.validated_data["sample"]
                )
        except InputError as exc:
            raise ValidationError({"file": [input_error_in_words(str(exc))]}) from exc
        return Response(MelodySerializer(melody).data, status=status.HTTP_201_CREATED)


class MelodyNotesCreateApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="event_melody_create_from_notes",
        request=MelodyNotesInputSerializer,
        responses={
            201: MelodySerializer,
            400: OpenApiResponse(description="Not a usable melody; the reason is given."),
            404: OpenApiResponse(description="No such event, or you have no team in it."),
        },
        tags=["melodies"],
    )
    def post(self, request: Request, slug: str) -> Response:
        """Add a melody to your team from its notes, as the studio's editor sends them."""
        event = event_or_404(slug=slug)
        team = team_of_user_or_404(event=event, user=request.user)
        data = MelodyNotesInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            melody = melody_create_from_notes(team=team, user=request.user, **data.validated_data)
        except InputError as exc:
            raise ValidationError({"notes": [str(exc)]}) from exc
        return Response(MelodySerializer(melody).data, status=status.HTTP_201_CREATED)


class CompositionCreateApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(
        operation_id="melody_composition_create",
        request=CompositionInputSerializer,
        responses={
            202: inline_serializer(
                "CompositionQueued",
                {"id": serializers.IntegerField(), "status": serializers.CharField()},
            ),
            400: OpenApiResponse(description="Bad controls, or composing is closed."),
            404: OpenApiResponse(description="No such melody in your teams."),
            429: OpenApiResponse(description="Your team's queue is full; wait for a piece."),
        },
        tags=["compositions"],
    )
    def post(self, request: Request, pk: int) -> Response:
        """Queue a new piece from one of your team's melodies."""
        try:
            melody = melody_get_for_user(melody_id=pk, user=request.user)
        except Melody.DoesNotExist as exc:
            raise Http404 from exc
        data = CompositionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        composition = composition_create(melody=melody, user=request.user, **data.validated_data)
        return Response(
            {"id": composition.pk, "status": composition.job.status},
            status=status.HTTP_202_ACCEPTED,
        )


def _composition(request: Request, pk: int) -> Composition:
    try:
        return composition_get_for_user(composition_id=pk, user=request.user)
    except Composition.DoesNotExist as exc:
        raise Http404 from exc


class CompositionDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="composition_retrieve",
        responses={200: CompositionSerializer, 404: OpenApiResponse(description="Not yours.")},
        tags=["compositions"],
    )
    def get(self, request: Request, pk: int) -> Response:
        """A piece's status and progress; when done, its files and metrics."""
        composition = _composition(request, pk)
        return Response(CompositionSerializer(composition, context={"request": request}).data)


class CompositionSubmitApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="composition_submit",
        request=None,
        responses={
            200: CompositionSerializer,
            400: OpenApiResponse(description="Not finished, or composing is closed."),
            404: OpenApiResponse(description="Not yours."),
        },
        tags=["compositions"],
    )
    def post(self, request: Request, pk: int) -> Response:
        """Make this piece your team's entry (replacing the previous one)."""
        composition = _composition(request, pk)
        composition = composition_submit(composition=composition, user=request.user)
        return Response(CompositionSerializer(composition, context={"request": request}).data)
