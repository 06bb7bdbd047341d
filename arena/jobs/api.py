"""REST API for the organisers' queue: an event's jobs with their place in line, and requeue or
cancel one. Thin views over the same services and selectors as the queue page; anyone but the
event's organisers gets 403."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from arena.events.models import Event
from arena.events.selectors import event_or_404, user_runs_event
from arena.jobs.models import Job
from arena.jobs.selectors import event_queue, queue_row
from arena.jobs.services import job_cancel, job_requeue


class QueueJobSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="job.pk")
    kind = serializers.CharField(source="job.kind")
    label = serializers.CharField()
    team = serializers.CharField(source="job.team.name", default=None, allow_null=True)
    queue = serializers.CharField(source="job.queue")
    status = serializers.CharField(source="job.status", help_text="queued, running, done, failed")
    place = serializers.IntegerField(
        allow_null=True, help_text="1 = the next of its queue to be sent; null once sent."
    )
    stuck = serializers.BooleanField(help_text="Sent to a worker long ago and not started.")
    attempts = serializers.IntegerField(source="job.attempts")
    progress = serializers.FloatField(source="job.progress")
    error = serializers.CharField(source="job.error")
    created_at = serializers.DateTimeField(source="job.created_at")
    sent_at = serializers.DateTimeField(source="job.sent_at", allow_null=True)
    started_at = serializers.DateTimeField(source="job.started_at", allow_null=True)
    finished_at = serializers.DateTimeField(source="job.finished_at", allow_null=True)
    can_requeue = serializers.BooleanField()
    can_cancel = serializers.BooleanField()


def _event(request: Request, slug: str) -> Event:
    event = event_or_404(slug=slug)
    if not user_runs_event(user=request.user, event=event):
        raise PermissionDenied("Only the event's organisers see its queue.")
    return event


class EventJobsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="event_job_list",
        responses={
            200: QueueJobSerializer(many=True),
            403: OpenApiResponse(description="Not an organiser of this event."),
        },
        tags=["queue"],
    )
    def get(self, request: Request, slug: str) -> Response:
        """The event's jobs: those sent to a worker, those in line in the order they will be
        sent, those running, then those that ended (failed first)."""
        queue = event_queue(event=_event(request, slug))
        rows = [*queue.waiting, *queue.running, *queue.ended]
        return Response(QueueJobSerializer(rows, many=True).data)


class _JobActionApi(APIView):
    permission_classes = [IsAuthenticated]
    action_name = ""

    def act(self, *, job_id: int, request: Request) -> Job:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        try:
            job = self.act(job_id=pk, request=request)
        except Job.DoesNotExist as exc:
            raise Http404 from exc
        return Response(QueueJobSerializer(queue_row(job=job)).data, status=status.HTTP_200_OK)


_ACTION_RESPONSES = {
    200: QueueJobSerializer,
    400: OpenApiResponse(description="The job is not in a state this applies to."),
    403: OpenApiResponse(description="Not an organiser of the job's event."),
    404: OpenApiResponse(description="No such job of an event."),
}


class JobRequeueApi(_JobActionApi):
    @extend_schema(
        operation_id="job_requeue", request=None, responses=_ACTION_RESPONSES, tags=["queue"]
    )
    def post(self, request: Request, pk: int) -> Response:
        """Put a failed job (or one sent to a worker that never started it) back in line."""
        return super().post(request, pk)

    def act(self, *, job_id: int, request: Request) -> Job:
        return job_requeue(job_id=job_id, user=request.user)


class JobCancelApi(_JobActionApi):
    @extend_schema(
        operation_id="job_cancel", request=None, responses=_ACTION_RESPONSES, tags=["queue"]
    )
    def post(self, request: Request, pk: int) -> Response:
        """Take a job still waiting in line out of it; it ends failed."""
        return super().post(request, pk)

    def act(self, *, job_id: int, request: Request) -> Job:
        return job_cancel(job_id=job_id, user=request.user)
