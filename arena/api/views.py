from rest_framework import viewsets

from arena.api.serializers import EventSerializer
from arena.events.selectors import event_list


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    """Events with their phases and dates."""

    serializer_class = EventSerializer
    lookup_field = "slug"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return event_list()
