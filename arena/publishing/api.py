"""REST API for posting the winners to SoundCloud (DESIGN §6)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from arena.events.selectors import event_or_404
from arena.publishing.models import Sharing
from arena.publishing.services import MAX_WINNERS, publication_request


class PublishInputSerializer(serializers.Serializer):
    sharing = serializers.ChoiceField(choices=Sharing.choices, default=Sharing.PUBLIC)
    winners = serializers.IntegerField(min_value=1, max_value=MAX_WINNERS, default=3)


class PublishApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="event_publish",
        request=PublishInputSerializer,
        responses={
            202: inline_serializer(
                "PublishQueued",
                {"job": serializers.IntegerField(), "status": serializers.CharField()},
            ),
            400: OpenApiResponse(description="Results not published, or SoundCloud not connected."),
            403: OpenApiResponse(description="Only the event's organisers post the winners."),
        },
        tags=["publishing"],
    )
    def post(self, request: Request, slug: str) -> Response:
        """Post the winners to SoundCloud with your connected account (a background job)."""
        event = event_or_404(slug=slug)
        data = PublishInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = publication_request(event=event, user=request.user, **data.validated_data)
        return Response({"job": job.pk, "status": job.status}, status=status.HTTP_202_ACCEPTED)
