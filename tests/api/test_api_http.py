"""The API over HTTP: keyset pagination, conditional GET, caching headers, CORS, rate limit."""

import base64
import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date

from articles.models import Article, Author
from tests.api_helpers import get_json, walk

LIST = "/api/v1/articles/"


def test_pages_follow_next_and_link_in_a_stable_order(client, make_article):
    noon = timezone.now().replace(microsecond=0) - datetime.timedelta(days=1)
    # Ties on the publication time (a day of imported pages is all at noon) are broken by id.
    articles = [make_article(published_at=noon - datetime.timedelta(hours=i % 3)) for i in range(8)]
    first = client.get(f"{LIST}?limit=3")
    data = first.json()
    assert first["Link"] == f'<{data["next"]}>; rel="next"'
    assert data["next"].startswith("http://testserver/api/v1/articles/?cursor=")
    items, sizes = walk(client, f"{LIST}?limit=3")
    expected = sorted(articles, key=lambda a: (a.published_at, a.pk), reverse=True)
    assert [a["id"] for a in items] == [a.pk for a in expected]
    assert sizes == [3, 3, 2]
    last = client.get(f"{LIST}?limit=8")
    assert last.json()["next"] is None and "Link" not in last


def test_filters_travel_with_the_cursor(client, make_article, make_section):
    section = make_section(slug="رياضة")
    mine = [make_article(section=section) for _ in range(5)]
    for _ in range(5):
        make_article()
    items, _ = walk(client, f"{LIST}?limit=2&section=رياضة")
    assert sorted(a["id"] for a in items) == sorted(a.pk for a in mine)


def test_no_item_is_skipped_or_repeated_when_articles_arrive_between_pages(client, make_article):
    now = timezone.now().replace(microsecond=0)
    hour = datetime.timedelta(hours=1)
    tie = now - 5 * hour
    existing = [make_article(published_at=now - i * hour) for i in range(1, 5)]
    existing += [make_article(published_at=tie) for _ in range(4)]
    existing += [make_article(published_at=now - i * hour) for i in range(6, 10)]
    seen, url, page = [], f"{LIST}?limit=3", 0
    while url:
        data = get_json(client, url)
        seen += [a["id"] for a in data["results"]]
        url = data["next"]
        page += 1
        # Between fetches: a newer article, one at the very moment of the tie, an older one,
        # and one that is unpublished (it was on an earlier page or is still to come).
        make_article(published_at=now)
        make_article(published_at=tie)
        make_article(published_at=now - 30 * hour)
        if page == 2:
            gone = existing[-1]
            gone.status = Article.Status.UNPUBLISHED
            gone.save()
    assert len(seen) == len(set(seen))
    assert {a.pk for a in existing[:-1]} <= set(seen)


def test_tags_and_authors_pages_walk_by_name_then_id(client, make_article, make_author, make_tag):
    # Two authors may share a name; the id keeps them apart in the cursor.
    authors = [make_author(name=name) for name in ["سعاد", "أحمد", "سعاد", "ب", "سعاد"]]
    tags = [make_tag(name) for name in ["اقتصاد", "رياضة", "ثقافة", "صحة", "تعليم"]]
    make_article(authors=authors, tags=tags)
    walked, sizes = walk(client, "/api/v1/authors/?limit=2")
    # The database's own order (its collation), ties on the name broken by id.
    expected = list(Author.objects.order_by("name", "id").values_list("slug", flat=True))
    assert [a["slug"] for a in walked] == expected
    assert sizes == [2, 2, 1]
    walked, _ = walk(client, "/api/v1/tags/?limit=3")
    assert sorted(t["slug"] for t in walked) == sorted(t.slug for t in tags)


def test_deep_pages_filter_by_the_key_not_an_offset(client, make_article):
    for _ in range(4):
        make_article()
    cursor = get_json(client, f"{LIST}?limit=2")["next"]
    with CaptureQueriesContext(connection) as queries:
        client.get(cursor)
    sql = queries.captured_queries[0]["sql"].upper()
    assert "OFFSET" not in sql and "COUNT(" not in sql
    assert '"ARTICLES_ARTICLE"."PUBLISHED_AT" <=' in sql


def test_conditional_get_answers_304_until_the_article_changes(client, make_article):
    article = make_article()
    url = f"/api/v1/articles/{article.pk}/"
    first = client.get(url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and modified == http_date(int(article.updated_at.timestamp()))
    assert first["Cache-Control"] == "public, max-age=60, s-maxage=300"
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and again["Cache-Control"] == first["Cache-Control"]
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    old = http_date(int(article.updated_at.timestamp()) - 60)
    assert client.get(url, headers={"If-Modified-Since": old}).status_code == 200
    assert client.head(url, headers={"If-None-Match": etag}).status_code == 304

    article.headline = "عنوان جديد"
    article.save()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert changed.json()["headline"] == "عنوان جديد"


def test_lists_and_masthead_answer_conditional_gets_too(client, make_article, roles, make_term):
    make_article()
    make_term(roles["editor"], "رئيس التحرير", datetime.date(2020, 1, 1))
    for url in [LIST, "/api/v1/sections/", "/api/v1/tags/", "/api/v1/masthead/?date=2024-03-28"]:
        etag = client.get(url)["ETag"]
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304, url
    listed = client.get(LIST)
    etag = listed["ETag"]
    # A list's last change is not the max of its rows' times (an article may have left it).
    assert "Last-Modified" not in listed
    make_article()
    assert client.get(LIST, headers={"If-None-Match": etag}).status_code == 200


def test_cache_lifetimes_are_settings(client, make_article, settings):
    settings.API_CACHE_MAX_AGE, settings.API_CACHE_S_MAXAGE = 5, 600
    make_article()
    assert client.get(LIST)["Cache-Control"] == "public, max-age=5, s-maxage=600"


def test_cors_for_configured_origins_on_api_paths_only(client, make_article, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
    make_article()
    allowed = client.get(LIST, headers={"Origin": "https://app.example.com"})
    assert allowed["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "ETag" in allowed["Access-Control-Expose-Headers"]
    other = client.get(LIST, headers={"Origin": "https://evil.example.net"})
    assert "Access-Control-Allow-Origin" not in other
    page = client.get("/", headers={"Origin": "https://app.example.com"})
    assert "Access-Control-Allow-Origin" not in page
    preflight = client.options(
        LIST,
        headers={"Origin": "https://app.example.com", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 200
    methods = {m.strip() for m in preflight["Access-Control-Allow-Methods"].split(",")}
    assert methods == {"GET", "HEAD", "OPTIONS"}
    assert "Access-Control-Allow-Credentials" not in preflight


def test_rate_limit_per_client_address(client, make_article, settings):
    settings.API_RATE_LIMIT = "3/minute"
    make_article()
    for _ in range(3):
        assert client.get(LIST, REMOTE_ADDR="203.0.113.7").status_code == 200
    refused = client.get(LIST, REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["code"] == "throttled"
    assert refused.json()["message"].startswith("طلبات كثيرة من عنوانك.")
    assert refused["Cache-Control"] == "no-store"
    # Another address has its own count.
    assert client.get(LIST, REMOTE_ADDR="198.51.100.2").status_code == 200


def test_rate_limit_counts_in_the_shared_redis(client, make_article, settings):
    # The real Redis, under a key prefix of this test's own (never flushed: keys expire).
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": f"test-api-throttle-{uuid.uuid4().hex}",
        }
    }
    settings.API_RATE_LIMIT = "2/minute"
    make_article()
    assert [client.get(LIST).status_code for _ in range(3)] == [200, 200, 429]


def test_the_api_serves_unthrottled_when_redis_is_down(client, make_article, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    settings.API_RATE_LIMIT = "1/minute"
    make_article()
    assert [client.get(LIST).status_code for _ in range(2)] == [200, 200]


@pytest.mark.parametrize("origin", ["https://app.example.com"])
def test_cors_allows_any_origin_when_told(client, db, settings, origin):
    settings.CORS_ALLOW_ALL_ORIGINS = True
    response = client.get("/api/v1/sections/", headers={"Origin": origin})
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "raw",
    ['["\\ud800",1]', '["\\u0000",1]', "[123,1]", '["x",true]', '[["x"],1]', '["x",1,2]', "null"],
)
@pytest.mark.parametrize("endpoint", ["tags", "authors"])
def test_made_up_name_cursors_are_a_400(client, db, raw, endpoint):
    cursor = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
    error = get_json(client, f"/api/v1/{endpoint}/?cursor={cursor}", status=400)
    assert list(error["fields"]) == ["cursor"]
