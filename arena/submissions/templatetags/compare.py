"""`{% other_finished_pieces composition as others %}`: the team's other finished pieces, to
compare a piece with."""

from __future__ import annotations

from django import template
from django.db.models import QuerySet

from arena.jobs.models import JobStatus
from arena.submissions.models import Composition
from arena.submissions.selectors import composition_list

register = template.Library()


@register.simple_tag
def other_finished_pieces(composition: Composition) -> QuerySet[Composition]:
    return (
        composition_list(team=composition.team)
        .filter(job__status=JobStatus.DONE)
        .exclude(pk=composition.pk)
    )
