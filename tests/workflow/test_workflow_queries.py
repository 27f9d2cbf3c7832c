"""Query counts of the workflow's busiest pages, the same whatever the table holds."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Byline
from workflow.preview import share_url

Status = Article.Status


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("extra", [0, 20])
def test_a_writers_changelist_query_count_does_not_grow(
    client, make_user, make_article, make_author, extra
):
    writer = make_user("writer")
    for number in range(3 + extra):
        article = make_article(status=Status.DRAFT, published_at=None, authors=[make_author()])
        if number % 2:
            Byline.objects.create(article=article, author=writer.author, position=1)
        make_article()  # someone else's, not listed
    client.force_login(writer)
    # session, user, user and group permissions, sections for the filter, one count (the
    # owner filter is a subquery, not a query), the rows, their bylines, date hierarchy x2.
    assert count(client, "/admin/articles/article/") == 10


@pytest.mark.parametrize("extra", [0, 20])
def test_a_share_preview_costs_the_same_queries_as_the_reader_page(
    client, make_article, make_author, make_tag, extra
):
    for _ in range(extra):
        make_article(authors=[make_author()])
    draft = make_article(
        status=Status.DRAFT,
        published_at=None,
        authors=[make_author(), make_author()],
        tags=[make_tag(f"وسم {extra}")],
    )
    published = make_article(
        authors=[make_author(), make_author()], tags=[make_tag(f"آخر {extra}")]
    )
    reader = count(client, published.get_absolute_url())
    preview = count(client, share_url(draft, timezone.now() + datetime.timedelta(hours=1)))
    assert preview == reader
