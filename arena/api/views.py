from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.decorators import method_decorator
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from arena.api.serializers import EventSerializer
from arena.events.models import Phase
from arena.events.selectors import event_list
from arena.events.services import event_phase_move
from arena.visitor_cache import cached_for_visitors


@method_decorator(cached_for_visitors, name="dispatch")
class EventViewSet(viewsets.ReadOnlyModelViewSet):
    """Events with their phases and dates."""

    serializer_class = EventSerializer
    lookup_field = "slug"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return event_list()

    @extend_schema(
        operation_id="event_phase_move",
        request=inline_serializer(
            "PhaseMove", {"phase": serializers.ChoiceField(choices=Phase.choices)}
        ),
        responses={
            200: EventSerializer,
            400: OpenApiResponse(description="Not a move the event can make from its phase."),
            403: OpenApiResponse(description="Only the event's organisers change its phase."),
        },
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def phase(self, request: Request, slug: str | None = None) -> Response:
        """Open the event's next phase, or go back one (results open by publishing them)."""
        event = self.get_object()
        data = request.data if isinstance(request.data, dict) else {}
        try:
            event = event_phase_move(event=event, user=request.user, phase=data.get("phase"))
        except DjangoValidationError as exc:
            raise ValidationError({"phase": exc.messages}) from exc
        return Response(EventSerializer(event_list().get(pk=event.pk)).data)
