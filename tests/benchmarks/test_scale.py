"""Archive scale: the article generator, the admin's bounded count, query budgets."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F, Func, TextField
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Author, Byline, MastheadTerm, Tag
from articles.pagination import BoundedCountPaginator
from articles.search import refresh_documents


def test_generate_articles_writes_what_save_would(db, capsys):
    call_command("generate_articles", count=30, seed=3)
    out = capsys.readouterr().out
    assert "Created 30 articles" in out and "articles/s" in out
    articles = list(Article.objects.order_by("pk"))
    assert len(articles) == 30 and all(article.is_published for article in articles)
    assert Byline.objects.count() >= 30 and Article.tags.through.objects.count() >= 30
    assert len({article.section_id for article in articles}) > 3
    assert len({article.published_at.year for article in articles}) > 5
    assert len({len(article.body) for article in articles}) > 10
    assert MastheadTerm.objects.filter(ends_on__isnull=True).count() == 2
    assert Author.objects.count() == 300 and Tag.objects.count() > 300
    # The stored search document holds what the site's own code computes: the same words
    # with the same weights (the byline and tag names may come in another order).
    stored = _documents()
    refresh_documents(Article.objects.all())
    assert _documents() == stored


def _documents():
    stripped = Article.objects.annotate(
        lexemes=Func(F("search_vector"), function="strip", output_field=TextField())
    )
    return {
        pk: (sorted(text.split()), lexemes)
        for pk, text, lexemes in stripped.values_list("pk", "search_text", "lexemes")
    }


def test_generate_articles_is_repeatable_with_a_seed(db):
    call_command("generate_articles", count=5, seed=11)
    first = list(Article.objects.order_by("pk").values_list("headline", "body"))
    Article.objects.all().delete()
    call_command("generate_articles", count=5, seed=11)
    assert list(Article.objects.order_by("pk").values_list("headline", "body")) == first


def test_generated_articles_are_found_by_search(client, db):
    call_command("generate_articles", count=10, seed=5)
    headline = Article.objects.order_by("pk").first().headline
    response = client.get("/search/", {"q": headline})
    assert response.status_code == 200
    assert headline in response.content.decode()


def test_bounded_count_reads_a_limited_number_of_rows_then_estimates(make_article, monkeypatch):
    for _ in range(7):
        make_article()
    monkeypatch.setattr(BoundedCountPaginator, "exact_up_to", 10)
    assert BoundedCountPaginator(Article.objects.all(), 20).count == 7
    monkeypatch.setattr(BoundedCountPaginator, "exact_up_to", 3)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    with CaptureQueriesContext(connection) as queries:
        count = BoundedCountPaginator(Article.objects.all(), 20).count
    assert count == 7  # the planner's estimate after ANALYZE
    assert "LIMIT 4" in queries[0]["sql"] and "ORDER BY" not in queries[0]["sql"]
    assert queries[1]["sql"].startswith("EXPLAIN")


@pytest.mark.parametrize("extra", [0, 30])
def test_editors_changelist_never_counts_the_whole_table(
    client, make_user, make_article, make_author, extra, monkeypatch
):
    monkeypatch.setattr(BoundedCountPaginator, "exact_up_to", 10)
    for _ in range(3 + extra):
        make_article(authors=[make_author()])
    client.force_login(make_user("editor"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/articles/article/")
    assert response.status_code == 200
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 11" in sql for sql in counts)
    # session, user, user and group permissions, sections for the filter, the bounded count
    # (+ the planner's estimate when over the bound), the rows, their bylines, date hierarchy x2
    assert len(queries) == (11 if extra else 10)


def test_deep_pages_are_bounded(client, make_article, monkeypatch):
    from articles import pagination

    for _ in range(5):
        make_article()
    monkeypatch.setattr(pagination, "MAX_PAGE", 2)
    monkeypatch.setattr(pagination.CheapPaginationMixin, "paginate_by", 2)
    second = client.get("/latest/?page=2")
    assert second.status_code == 200 and not second.context["page_obj"].has_next()
    assert client.get("/latest/?page=3").status_code == 404
    assert client.get("/latest/?page=999999999999").status_code == 404


def test_admin_search_uses_the_search_vector_without_date_hierarchy(staff_client, make_article):
    found = make_article(headline="مباحثات الموازنة العامة")
    make_article(headline="خبر آخر")
    response = staff_client.get("/admin/articles/article/", {"q": "موازنه"})
    assert list(response.context["cl"].result_list) == [found]
    assert response.context["cl"].date_hierarchy is None
    assert staff_client.get("/admin/articles/article/").context["cl"].date_hierarchy
    assert staff_client.get("/admin/articles/article/", {"q": "!!"}).status_code == 200


def test_search_ranks_only_the_newest_matches(client, make_article, monkeypatch):
    import datetime

    from django.utils import timezone

    from articles import search

    now = timezone.now()
    # The oldest matches best (the word in its headline); the newest only in the body.
    make_article(headline="الموازنة الموازنة", published_at=now - datetime.timedelta(days=9))
    for days in (1, 2):
        make_article(
            headline=f"خبر {days}",
            body="<p>نقاش حول الموازنة.</p>",
            published_at=now - datetime.timedelta(days=days),
        )
    monkeypatch.setattr(search, "MAX_RANKED", 2)
    headlines = [a.headline for a in client.get("/search/", {"q": "الموازنة"}).context["results"]]
    assert headlines == ["خبر 1", "خبر 2"]
    monkeypatch.setattr(search, "MAX_RANKED", 3)
    headlines = [a.headline for a in client.get("/search/", {"q": "الموازنة"}).context["results"]]
    assert headlines[0] == "الموازنة الموازنة" and len(headlines) == 3


def _vocabulary():
    from benchmarks import generated_text as text

    names = [
        f"{first} {last.replace('_', ' ')}"
        for first in text.FIRST_NAMES
        for last in text.LAST_NAMES
    ]
    tags = [
        f"{word.replace('_', ' ')} {q}".strip()
        for word in text.TAG_WORDS
        for q in text.TAG_QUALIFIERS
    ]
    lists = [
        text.SUBJECTS,
        text.VERBS,
        text.OBJECTS,
        text.COMPLEMENTS,
        text.CONNECTORS,
        text.KICKERS,
    ]
    return [list(phrases) for phrases in [*lists, names, tags]]


def test_generated_vector_literal_is_what_to_tsvector_makes(db):
    """generate_articles writes the vector as a literal: the same as PostgreSQL would build."""
    import random

    from articles.arabic import normalize
    from articles.search import with_stems
    from benchmarks.management.commands.generate_articles import _part, _vector

    rng = random.Random(4)
    vocabulary = _vocabulary()
    cases = [[phrases] for phrases in vocabulary]  # every phrase, each list as one part
    everything = [phrase for phrases in vocabulary for phrase in phrases]
    for _ in range(20):  # invented articles: three parts of random length
        cases.append([rng.choices(everything, k=rng.choice([3, 30, 300, 2000])) for _ in "ABC"])
    cases.append([["عاجل"], ["عاجل"] * 300, ["خبر عاجل"] * 200])  # positions per lexeme capped
    cases.append([["عاجل"] * 9000, ["تقرير"] * 9000, ["عاجل تقرير"]])  # positions capped
    with connection.cursor() as cursor:
        for parts in cases:
            literal = _vector([(_part(p)[1], w) for p, w in zip(parts, "ABC", strict=False)])
            texts = [with_stems(normalize(" ".join(p for p in part if p))) for part in parts]
            built = " || ".join(
                f"setweight(to_tsvector('simple', %s), '{w}')" for w in "ABC"[: len(texts)]
            )
            cursor.execute(f"SELECT %s::tsvector::text, ({built})::text", [literal, *texts])
            mine, theirs = cursor.fetchone()
            assert mine == theirs
