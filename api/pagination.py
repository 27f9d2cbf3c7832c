"""Keyset ("cursor") pagination: no OFFSET, no COUNT, stable under inserts.

A page is ``ORDER BY <key> DESC, id DESC LIMIT n + 1`` below the last row of the previous
page; the extra row only says whether there is a next page. The cursor is that last row's
ordering values, base64url JSON, so a client cannot ask for "page 9,000" (an OFFSET scan);
it can only continue from where it was, however deep into the archive, with one index range.

Why not DRF's own ``CursorPagination``: it positions on the first ordering field only and
then skips rows sharing that value with an OFFSET kept in the cursor, so equal publication
times (a whole day of imported legacy pages is stamped at noon) turn into OFFSET scans; and
its cursor carries no id, so a row inserted with the same time shifts what is skipped. Here
the cursor holds both ``(published_at, id)``, which are unique together.
"""

import base64
import binascii
import datetime
import json
from urllib.parse import urlencode

from django.db.models import Q
from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

BAD_CURSOR = "المؤشر (cursor) غير صالح: استخدم رابط «next» كما أرسلته الواجهة."


class Key:
    """One ordering column of a keyset: its name, how it is written in a cursor, direction."""

    def __init__(self, field, kind, descending):
        self.field, self.kind, self.descending = field, kind, descending

    def dump(self, value):
        return value.isoformat() if self.kind == "datetime" else value

    def load(self, raw):
        if self.kind == "datetime":
            value = parse_datetime(raw) if isinstance(raw, str) else None
            if value is None or value.tzinfo is None:
                raise ValueError(raw)
            # In UTC now, as the database will compare it: 9999-12-31T23:59-23:59 overflows
            # here (a 400) rather than in the database driver (a 500).
            return value.astimezone(datetime.UTC)
        if self.kind == "int":
            if not isinstance(raw, int) or isinstance(raw, bool) or not 0 < raw < 2**63:
                raise ValueError(raw)
            return raw
        if not isinstance(raw, str) or "\x00" in raw or len(raw) > 300:
            raise ValueError(raw)
        raw.encode()  # a lone surrogate (JSON "\\ud800") raises UnicodeError: a 400
        return raw


class KeysetPagination(BasePagination):
    """Pages of ``queryset`` ordered by ``keys`` (two columns, the last one unique)."""

    keys = (Key("published_at", "datetime", True), Key("id", "int", True))
    default_limit = 20
    max_limit = 100

    def __init__(self, keys=None):
        if keys is not None:
            self.keys = keys

    def ordering(self):
        return [f"-{k.field}" if k.descending else k.field for k in self.keys]

    def decode(self, cursor):
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            values = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            if not isinstance(values, list) or len(values) != len(self.keys):
                raise ValueError(values)
            return [key.load(raw) for key, raw in zip(self.keys, values, strict=True)]
        except (ValueError, TypeError, UnicodeError, binascii.Error, OverflowError):
            raise ValidationError({"cursor": [BAD_CURSOR]}, code="invalid_cursor") from None

    def encode(self, row):
        values = [key.dump(getattr(row, key.field)) for key in self.keys]
        raw = json.dumps(values, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    def after(self, values):
        """Rows strictly after ``values`` in this order, as a filter the index can range over:
        ``a <= x AND (a < x OR id < y)`` (for descending keys) rather than a bare OR."""
        (first, second), (x, y) = self.keys, values
        near, far = ("lte", "lt") if first.descending else ("gte", "gt")
        tie = "lt" if second.descending else "gt"
        return Q(**{f"{first.field}__{near}": x}) & (
            Q(**{f"{first.field}__{far}": x}) | Q(**{f"{second.field}__{tie}": y})
        )

    def paginate_queryset(self, queryset, request, view=None, *, limit=None, cursor=None):
        self.request = request
        self.limit = limit or self.default_limit
        if cursor:
            queryset = queryset.filter(self.after(self.decode(cursor)))
        rows = list(queryset.order_by(*self.ordering())[: self.limit + 1])
        self.has_next = len(rows) > self.limit
        self.page = rows[: self.limit]
        self.next_cursor = self.encode(self.page[-1]) if self.has_next else None
        return self.page

    def empty(self, request):
        self.request, self.has_next, self.page, self.next_cursor = request, False, [], None
        return self.page

    def next_url(self):
        if not self.next_cursor:
            return None
        params = self.request.GET.copy()
        params["cursor"] = self.next_cursor
        query = urlencode(sorted(params.items()))
        return self.request.build_absolute_uri(f"{self.request.path}?{query}")

    def get_paginated_response(self, data):
        next_url = self.next_url()
        response = Response({"next": next_url, "results": data})
        if next_url:
            response["Link"] = f'<{next_url}>; rel="next"'
        return response

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {"type": "string", "format": "uri", "nullable": True},
                "results": schema,
            },
        }


def when_key():
    """The ordering of article lists: newest first, id breaking ties."""
    return (Key("published_at", "datetime", True), Key("id", "int", True))


def name_key():
    """The ordering of tag and author lists: by name (the database's collation), then id."""
    return (Key("name", "str", False), Key("id", "int", False))
