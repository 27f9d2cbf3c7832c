"""Pagination that never counts the whole table.

Django's ``Paginator`` needs ``count()`` to validate the page number and to know the last
page, which on a large archive is a sequential scan on every request. Readers only need
"newer" and "older", so a page fetches one row more than it shows and that extra row says
whether an older page exists. No library does exactly this for plain ``ListView``s, so it is
written here, with the attributes the templates and ``ListView`` use.
"""

import json

from django.core.paginator import Paginator
from django.db import connections
from django.http import Http404
from django.utils.functional import cached_property


class CheapPage:
    def __init__(self, object_list, number, has_next):
        self.object_list = object_list
        self.number = number
        self._has_next = has_next

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    def __repr__(self):
        return f"<CheapPage {self.number}>"

    def has_next(self):
        return self._has_next

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_next() or self.has_previous()

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1


# Deepest page of a list: an OFFSET walks every row before it, so pages stop here (10,000
# articles at 20 a page); older articles are reached through the date archive, whose pages
# are each one day or month, or search's filters.
MAX_PAGE = 500


def page_number(raw, *, forgiving=False):
    """The page number ``raw`` (from the query string) asks for, or None when it is no page.

    ``forgiving`` gives the nearest page instead (the first for nonsense): search answers every
    query string with a page, while listings answer a 404.
    """
    try:
        number = int(raw or 1)
    except (TypeError, ValueError):
        return 1 if forgiving else None
    if forgiving:
        return min(max(number, 1), MAX_PAGE)
    return number if 1 <= number <= MAX_PAGE else None


def paginate(rows, number, per_page):
    """The ``CheapPage`` ``number`` of ``rows`` (a queryset, or anything that slices)."""
    offset = (number - 1) * per_page
    fetched = list(rows[offset : offset + per_page + 1])
    has_next = len(fetched) > per_page and number < MAX_PAGE
    return CheapPage(fetched[:per_page], number, has_next=has_next)


class CheapPaginationMixin:
    """For ``ListView``: paginate with ``paginate()`` instead of Django's counting paginator."""

    paginate_by = 20

    def paginate_queryset(self, queryset, page_size):
        number = page_number(self.request.GET.get("page"))
        if number is None:
            raise Http404("رقم الصفحة غير صالح.")
        page = paginate(queryset, number, page_size)
        if not page and number > 1:
            raise Http404("لا توجد صفحة بهذا الرقم.")
        return None, page, page.object_list, page.has_other_pages()


class BoundedCountPaginator(Paginator):
    """Django's paginator for the admin, without a full ``COUNT(*)`` of a large table.

    The count reads at most ``exact_up_to + 1`` rows (``COUNT(*)`` over an unordered ``LIMIT``
    subquery), which is exact for any list an editor narrows with a filter or a search. When
    there are more, the total is PostgreSQL's own estimate of the rows the list's query returns
    (the planner's ``Plan Rows`` from ``EXPLAIN``, built on the statistics autovacuum keeps),
    never less than what was counted: the admin shows about that many and the page links stay
    usable. Django has no such paginator, hence this one.
    """

    exact_up_to = 10_000

    @cached_property
    def count(self):
        rows = self.object_list.order_by().values("pk")
        counted = rows[: self.exact_up_to + 1].count()
        if counted <= self.exact_up_to:
            return counted
        sql, params = rows.query.sql_with_params()
        with connections[rows.db].cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return max(counted, int(plan[0]["Plan"]["Plan Rows"]))
