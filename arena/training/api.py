"""REST API for teams' own models: start a training, follow it, cancel it, list the models.

Thin views over the same services and selectors as the pages. A team's runs are its own until
the event's results (404 for others); a reached limit is 429.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from arena.events.selectors import event_or_404, user_runs_event
from arena.submissions.selectors import team_of_user, team_of_user_or_404
from arena.training.models import TrainingRun
from arena.training.recipes import BOUNDS, DEFAULTS, SIZES
from arena.training.selectors import (
    event_model_list,
    training_get_for_user,
    training_list,
    training_list_for_event,
    training_status,
)
from arena.training.services import training_cancel, training_start


def _bounded(name: str, *, integer: bool) -> serializers.Field:
    bound = BOUNDS[name]
    field = serializers.IntegerField if integer else serializers.FloatField
    return field(
        min_value=bound.low, max_value=bound.high, default=DEFAULTS[name], help_text=bound.help
    )


class TrainingInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60, required=False, allow_blank=True)
    size = serializers.ChoiceField(choices=list(SIZES), default=DEFAULTS["size"])
    steps = _bounded("steps", integer=True)
    learning_rate = _bounded("learning_rate", integer=False)
    critic_steps = _bounded("critic_steps", integer=True)
    noise_channels = _bounded("noise_channels", integer=True)
    augment = serializers.BooleanField(default=DEFAULTS["augment"])
    seed = _bounded("seed", integer=True)


class TrainingStatusSerializer(serializers.Serializer):
    """A run's live state (see arena.training.selectors.training_status)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    team = serializers.CharField()
    model = serializers.CharField(help_text="The name to compose with: team:<id>.")
    status = serializers.CharField(help_text="queued, running, done, failed or cancelled")
    progress = serializers.FloatField()
    message = serializers.CharField()
    error = serializers.CharField()
    step = serializers.IntegerField()
    steps = serializers.IntegerField()
    seconds = serializers.FloatField(help_text="Training time used.")
    budget_seconds = serializers.IntegerField()
    eta_seconds = serializers.FloatField(allow_null=True)
    device = serializers.CharField()
    config = serializers.DictField()
    stopping = serializers.BooleanField()
    stopped_early = serializers.BooleanField(help_text="Ended by the time budget.")
    losses = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField()),
        help_text="[step, critic, generator, reconstruction] points.",
    )
    metrics = serializers.ListField(
        child=serializers.DictField(), help_text="Validation rows, as in metrics.csv."
    )
    reference = serializers.DictField(help_text="Bach's values of the same metrics.")
    samples = serializers.ListField(child=serializers.DictField())
    ready = serializers.BooleanField(help_text="Done, and usable in compositions.")


class ModelCardSerializer(serializers.ModelSerializer):
    model = serializers.CharField(source="model_key")
    team = serializers.CharField(source="team.name")
    final_metrics = serializers.DictField()

    class Meta:
        model = TrainingRun
        fields = [
            "id",
            "model",
            "name",
            "team",
            "config",
            "step",
            "seconds",
            "device",
            "stopped_early",
            "final_metrics",
            "reference",
            "created_at",
        ]
        read_only_fields = fields


def _training(request: Request, pk: int) -> TrainingRun:
    try:
        return training_get_for_user(training_id=pk, user=request.user)
    except TrainingRun.DoesNotExist as exc:
        raise Http404 from exc


class EventTrainingsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="event_training_list",
        responses={200: TrainingStatusSerializer(many=True)},
        tags=["training"],
    )
    def get(self, request: Request, slug: str) -> Response:
        """Your team's trainings; an organiser gets every team's."""
        event = event_or_404(slug=slug)
        if user_runs_event(user=request.user, event=event):
            runs = training_list_for_event(event=event)
        else:
            team = team_of_user(event=event, user=request.user)
            runs = training_list(team=team) if team else TrainingRun.objects.none()
        return Response([training_status(training=t) for t in runs.select_related("team")])

    @extend_schema(
        operation_id="event_training_start",
        request=TrainingInputSerializer,
        responses={
            202: inline_serializer(
                "TrainingQueued",
                {"id": serializers.IntegerField(), "status": serializers.CharField()},
            ),
            400: OpenApiResponse(description="A setting out of bounds, or training is closed."),
            404: OpenApiResponse(description="No such event, or you have no team in it."),
            429: OpenApiResponse(description="Your team's training limit is reached."),
        },
        tags=["training"],
    )
    def post(self, request: Request, slug: str) -> Response:
        """Train your team's own GAN from the shipped CPU recipe with your settings."""
        event = event_or_404(slug=slug)
        team = team_of_user_or_404(event=event, user=request.user)
        data = TrainingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        training = training_start(team=team, user=request.user, **data.validated_data)
        return Response(
            {"id": training.pk, "status": training.status}, status=status.HTTP_202_ACCEPTED
        )


class TrainingDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="training_retrieve",
        responses={200: TrainingStatusSerializer, 404: OpenApiResponse(description="Not yours.")},
        tags=["training"],
    )
    def get(self, request: Request, pk: int) -> Response:
        """A run's status, progress, ETA, loss curves and validation metrics beside Bach's."""
        return Response(training_status(training=_training(request, pk)))


class TrainingCancelApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="training_cancel",
        request=None,
        responses={
            202: TrainingStatusSerializer,
            400: OpenApiResponse(description="The training has already ended."),
            404: OpenApiResponse(description="Not yours."),
        },
        tags=["training"],
    )
    def post(self, request: Request, pk: int) -> Response:
        """Stop a run (its team or an organiser): a queued one at once, a running one within
        seconds."""
        training = _training(request, pk)
        try:
            training = training_cancel(training=training, user=request.user)
        except DjangoPermissionDenied as exc:
            raise Http404 from exc
        return Response(training_status(training=training), status=status.HTTP_202_ACCEPTED)


class EventModelsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="event_model_list",
        responses={200: ModelCardSerializer(many=True)},
        tags=["training"],
    )
    def get(self, request: Request, slug: str) -> Response:
        """Finished team models with their model cards: your team's, or every team's once the
        results are out. Compose with one by sending its `model` to the compositions API."""
        models = event_model_list(event=event_or_404(slug=slug), user=request.user)
        return Response(ModelCardSerializer(models, many=True).data)
