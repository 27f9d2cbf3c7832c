"""The API's query budget: a fixed number of queries whatever the page size or the data."""

import datetime

import pytest

from articles.models import Byline, Correction, MastheadRole

LIST = "/api/v1/articles/"


@pytest.fixture
def archive(make_article, make_author, make_tag, make_section):
    """``n`` published articles, each with two authors, two tags and a correction."""

    def make(n):
        section = make_section(slug="أخبار")
        tags = [make_tag(f"وسم {i}") for i in range(3)]
        articles = []
        for i in range(n):
            article = make_article(
                section=section,
                tags=tags[i % 2 : i % 2 + 2],
                lead_image=f"lead/2024/03/p{i}_2000x1500.jpg",
                lead_image_alt="صورة",
            )
            for position in range(2):
                Byline.objects.create(article=article, author=make_author(), position=position)
            Correction.objects.create(article=article, text="تصحيح")
            articles.append(article)
        return articles

    return make


@pytest.mark.parametrize(("size", "limit"), [(3, 20), (60, 50)])
def test_article_list_queries(client, archive, django_assert_num_queries, size, limit):
    archive(size)
    # The page (section joined), its bylines with authors, its tags.
    with django_assert_num_queries(3):
        data = client.get(f"{LIST}?limit={limit}").json()
    assert len(data["results"]) == min(size, limit)
    # Each filter by slug adds one lookup of that slug; the cursor adds none.
    with django_assert_num_queries(5):
        client.get(f"{LIST}?limit={limit}&section=أخبار&tag=وسم-1&q=عنوان")
    if data["next"]:
        with django_assert_num_queries(3):
            client.get(data["next"])


@pytest.mark.parametrize("size", [1, 30])
def test_article_detail_queries(client, archive, django_assert_num_queries, size):
    article = archive(size)[-1]
    # The article (section joined), bylines with authors, tags, corrections.
    with django_assert_num_queries(4):
        assert client.get(f"/api/v1/articles/{article.pk}/").status_code == 200


@pytest.mark.parametrize("size", [2, 40])
def test_tag_author_section_lists_queries(client, archive, django_assert_num_queries, size):
    archive(size)
    for url in ["/api/v1/tags/?limit=100", "/api/v1/authors/?limit=100", "/api/v1/sections/"]:
        with django_assert_num_queries(1):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize("terms", [1, 12])
def test_masthead_queries(client, roles, make_term, django_assert_num_queries, terms):
    for i in range(terms):
        role = roles["editor"] if i == 0 else MastheadRole.objects.create(title=f"منصب {i}")
        make_term(role, f"شخص {i}", datetime.date(2020, 1, 1))
    with django_assert_num_queries(1):
        data = client.get("/api/v1/masthead/?date=2024-03-28").json()
    assert len(data["masthead"]) == terms
