"""Limit/offset pages that refuse a malformed `limit` or `offset` with a 400 instead of quietly
serving the first page, so a client's mistake shows up where it was made."""

from __future__ import annotations

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request


class StrictLimitOffsetPagination(LimitOffsetPagination):
    max_limit = 200

    def paginate_queryset(self, queryset, request: Request, view=None):  # type: ignore[no-untyped-def]
        errors = {}
        for name in (self.limit_query_param, self.offset_query_param):
            values = request.query_params.getlist(name)
            if len(values) > 1:
                errors[name] = ["Give it once."]
            elif values and not (values[0].isascii() and values[0].isdigit()):
                errors[name] = ["A whole number, 0 or more."]
        if errors:
            raise ValidationError(errors)
        return super().paginate_queryset(queryset, request, view)
