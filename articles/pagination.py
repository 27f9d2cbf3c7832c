"""Pagination that never counts the whole table.

Django's ``Paginator`` needs ``count()`` to validate the page number and to know the last
page, which on a large archive is a sequential scan on every request. Readers only need
"newer" and "older", so a page fetches one row more than it shows and that extra row says
whether an older page exists. No library does exactly this for plain ``ListView``s, so it is
written here, with the attributes the templates and ``ListView`` use.
"""

from django.http import Http404


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


# Far beyond any real archive (a million articles at 20 a page), far below bigint offsets.
MAX_PAGE = 100_000


def paginate(queryset, page_number, per_page):
    """Return the ``CheapPage`` for ``page_number`` (a string from the query string)."""
    try:
        number = int(page_number or 1)
    except (TypeError, ValueError):
        raise Http404("رقم الصفحة غير صالح.") from None
    if number < 1:
        raise Http404("رقم الصفحة غير صالح.")
    if number > MAX_PAGE:  # an OFFSET past PostgreSQL's bigint is a database error, not a 404
        raise Http404("لا توجد صفحة بهذا الرقم.")
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])
    if not rows and number > 1:
        raise Http404("لا توجد صفحة بهذا الرقم.")
    return CheapPage(rows[:per_page], number, has_next=len(rows) > per_page)


class CheapPaginationMixin:
    """For ``ListView``: paginate with ``paginate()`` instead of Django's counting paginator."""

    paginate_by = 20

    def paginate_queryset(self, queryset, page_size):
        page = paginate(queryset, self.request.GET.get("page"), page_size)
        return None, page, page.object_list, page.has_other_pages()
