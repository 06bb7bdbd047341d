from rest_framework import serializers

from arena.events.models import Event


class EventSerializer(serializers.ModelSerializer):
    organiser = serializers.StringRelatedField()
    team_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Event
        fields = [
            "slug",
            "name",
            "brief",
            "phase",
            "organiser",
            "registration_opens",
            "composing_opens",
            "judging_opens",
            "results_at",
            "max_team_size",
            "team_count",
        ]
