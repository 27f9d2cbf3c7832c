"""What a shared cache may keep and for how long (frontcache/middleware.py, frontcache/schedule.py),
through Django's test client on the real PostgreSQL. Ported from the removed page cache's tests
(tests/pagecache/test_pagecache.py): validators and 304, staff, cookies, previews, errors, and
lifetimes that end at the next scheduled change."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.services import content_save
from frontcache import schedule
from frontcache.middleware import MOST_READ_SECONDS, NOT_FOUND_SECONDS, FrontCacheMiddleware
from frontcache.models import PurgeRequest
from frontpage.models import BreakingNews
from tests.private_services import free_port
from workflow.preview import share_url
from workflow.services import article_save

Status = Article.Status
DAY = 86400


def control(response):
    """Cache-Control as a dict: {"public": True, "s-maxage": 300, ...}."""
    parts = {}
    for part in response.get("Cache-Control", "").split(","):
        name, _, value = part.strip().partition("=")
        if name:
            parts[name] = int(value) if value else True
    return parts


def assert_never_shared(response):
    parts = control(response)
    assert parts.get("private") and parts.get("no-store"), response.get("Cache-Control")
    assert "public" not in parts and "s-maxage" not in parts
    assert "xkey" not in response and "Surrogate-Key" not in response


@pytest.fixture
def long_lived(settings):
    settings.FRONT_CACHE_SECONDS = DAY
    settings.FRONT_CACHE_STALE_SECONDS = 10
    return settings


def test_anonymous_pages_are_public_with_validators_and_answer_304(
    client, long_lived, make_article
):
    article = make_article()
    url = article.get_absolute_url()
    response = client.get(url)
    assert response.status_code == 200
    assert control(response) == {
        "public": True, "max-age": 0, "s-maxage": DAY, "stale-while-revalidate": 10
    }  # fmt: skip
    assert response["ETag"] and response["Last-Modified"]
    assert f"a{article.pk}" in response["xkey"].split()
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again.content == b""
    # Varnish revalidating its copy still learns the keys.
    assert again["xkey"] == response["xkey"]
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert since.status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_head_gets_the_headers_of_get_without_a_body(client, long_lived, make_article):
    article = make_article()
    got = client.get(article.get_absolute_url())
    head = client.head(article.get_absolute_url())
    assert head.status_code == 200 and head.content == b""
    for name in ("Cache-Control", "ETag", "xkey"):
        assert head[name] == got[name], name


def test_pages_showing_most_read_are_kept_no_longer_than_the_block(
    client, long_lived, make_article
):
    make_article()
    response = client.get("/")
    assert "mostread" in response["xkey"].split()
    assert control(response)["s-maxage"] == MOST_READ_SECONDS == 300


def test_a_404_is_kept_briefly_and_named(db, client, long_lived):
    missing = client.get("/news/987654/")
    assert missing.status_code == 404
    assert control(missing)["s-maxage"] == NOT_FOUND_SECONDS == 60
    assert "a987654" in missing["xkey"].split()  # publishing that id purges it
    unknown = client.get("/no-such-page/")
    assert unknown.status_code == 404
    assert control(unknown)["public"] and control(unknown)["s-maxage"] == 60


def test_staff_get_fresh_private_pages_without_keys(client, staff_client, long_lived, make_article):
    article = make_article(headline="خبر للموظفين")
    assert_never_shared(staff_client.get(article.get_absolute_url()))
    assert_never_shared(staff_client.get("/"))
    # And staff see a change that announced nothing, at once.
    Article.objects.filter(pk=article.pk).update(headline="تعديل بلا إشارة")
    assert "تعديل بلا إشارة" in staff_client.get(article.get_absolute_url()).content.decode()


def test_previews_keep_their_own_private_headers(client, staff_client, make_article):
    draft = make_article(status=Status.DRAFT, published_at=None)
    response = staff_client.get(f"/preview/{draft.pk}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store" and "xkey" not in response
    shared = client.get(share_url(draft, timezone.now() + datetime.timedelta(hours=1)))
    assert shared.status_code == 200
    assert_never_shared(shared)


def test_rate_limited_search_and_other_methods_are_never_shared(client, make_article):
    make_article()
    search = client.get("/search/", {"q": "عنوان"})
    assert search.status_code == 200
    assert_never_shared(search)
    posted = client.post("/latest/")
    assert posted.status_code >= 400 and "public" not in control(posted)
    assert "xkey" not in posted


@pytest.mark.parametrize(
    "spoil",
    [
        lambda response: response.set_cookie("tracking", "1"),
        lambda response: setattr(response, "status_code", 500),
        lambda response: setattr(response, "status_code", 503),
        lambda response: setattr(response, "status_code", 403),
    ],
    ids=["cookie", "500", "503", "403"],
)
def test_cookies_and_errors_are_never_shared(rf, db, spoil):
    def view(request):
        response = HttpResponse("صفحة")
        spoil(response)
        return response

    assert_never_shared(FrontCacheMiddleware(view)(rf.get("/latest/")))


def test_a_view_s_own_private_answer_is_kept_without_keys(rf, db):
    def view(request):
        response = HttpResponse("صفحة")
        response["Cache-Control"] = "private"
        return response

    response = FrontCacheMiddleware(view)(rf.get("/latest/"))
    assert response["Cache-Control"] == "private" and "xkey" not in response


# Lifetimes end at the next scheduled change. Each change is committed (its on-commit
# callbacks run), as in production, so the kept next change is looked up again.


def test_a_scheduled_publication_ends_the_lifetime_and_appears_at_its_time(
    client, long_lived, make_article, django_capture_on_commit_callbacks
):
    now = timezone.now()
    with time_machine.travel(now, tick=False) as traveller:
        assert control(client.get("/latest/"))["s-maxage"] == DAY
        with django_capture_on_commit_callbacks(execute=True):
            make_article(headline="خبر مجدول", published_at=now + datetime.timedelta(minutes=10))
        response = client.get("/latest/")
        assert "خبر مجدول" not in response.content.decode()
        # No stale copy past that instant either.
        assert control(response) == {
            "public": True, "max-age": 0, "s-maxage": 600, "stale-while-revalidate": 0
        }  # fmt: skip
        traveller.shift(datetime.timedelta(minutes=9, seconds=30))
        assert control(client.get("/latest/"))["s-maxage"] == 30
        traveller.shift(datetime.timedelta(seconds=31))
        response = client.get("/latest/")
        assert "خبر مجدول" in response.content.decode()
        assert control(response)["s-maxage"] == DAY


def test_the_api_s_own_lifetimes_end_at_the_next_scheduled_change(
    client, settings, make_article, django_capture_on_commit_callbacks
):
    settings.API_CACHE_MAX_AGE, settings.API_CACHE_S_MAXAGE = 60, 300
    assert control(client.get("/api/v1/articles/"))["s-maxage"] == 300
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            make_article(published_at=now + datetime.timedelta(seconds=90))
        response = client.get("/api/v1/articles/")
        assert control(response) == {"public": True, "max-age": 60, "s-maxage": 90}
        assert "api" in response["xkey"].split()


def test_an_expiry_ends_the_lifetime(
    client, long_lived, make_article, django_capture_on_commit_callbacks
):
    now = timezone.now()
    with time_machine.travel(now, tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            article = make_article(
                headline="خبر ينتهي", expires_at=now + datetime.timedelta(minutes=20)
            )
        assert control(client.get(article.get_absolute_url()))["s-maxage"] == 1200
        traveller.shift(datetime.timedelta(minutes=20, seconds=1))
        assert client.get(article.get_absolute_url()).status_code == 404
        assert "خبر ينتهي" not in client.get("/latest/").content.decode()


def test_a_breaking_banner_s_start_and_end_end_the_lifetime(
    client, long_lived, make_article, django_capture_on_commit_callbacks
):
    article = make_article()
    now = timezone.now()
    with time_machine.travel(now, tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            content_save(
                instance=BreakingNews(
                    text="عاجل مؤقت",
                    starts_at=now + datetime.timedelta(minutes=1),
                    expires_at=now + datetime.timedelta(minutes=5),
                )
            )
        response = client.get(article.get_absolute_url())
        assert "عاجل مؤقت" not in response.content.decode()
        assert control(response)["s-maxage"] == 60
        traveller.shift(datetime.timedelta(minutes=1, seconds=1))
        response = client.get(article.get_absolute_url())
        assert "عاجل مؤقت" in response.content.decode()
        assert control(response)["s-maxage"] == 239  # until its end
        traveller.shift(datetime.timedelta(minutes=4))
        assert "عاجل مؤقت" not in client.get(article.get_absolute_url()).content.decode()


def test_the_next_change_is_looked_up_once_per_edit(
    client, long_lived, make_article, django_capture_on_commit_callbacks
):
    article = make_article()
    url = article.get_absolute_url()
    client.get(url)

    def lookups():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return sum("MIN(" in query["sql"] for query in queries.captured_queries)

    assert lookups() == 0
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=article)
    assert [lookups(), lookups()] == [2, 0]  # the articles, the banners; then kept


def test_a_lookup_that_read_before_an_edit_is_never_used_after_it(db, make_article):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        stamp, _ = schedule._remembered(now)
        make_article(published_at=now + datetime.timedelta(minutes=10))
        # An edit commits between a lookup's read of the stamp and its write of what it found
        # (the rows before the edit: nothing scheduled).
        schedule.forget_next_change(sender=None, change=object())
        cache.set(schedule.NEXT_KEY, {"stamp": stamp, "at": None}, 60)
        assert schedule.seconds_until_next_change(DAY) == 600


def test_lifetimes_are_served_with_redis_down(client, settings, long_lived, make_article):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.redis.NewsroomRedisCache",  # not fail-soft: errors reach us
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    article = make_article(expires_at=timezone.now() + datetime.timedelta(hours=1))
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert 3590 <= control(response)["s-maxage"] <= 3600


def test_scheduling_an_article_purges_the_listings_it_will_join(
    settings, make_article, django_capture_on_commit_callbacks
):
    settings.FRONT_CACHE_PURGE_URLS = [f"http://127.0.0.1:{free_port()}/"]  # down: kept
    draft = make_article(status=Status.DRAFT, published_at=None)
    PurgeRequest.objects.all().delete()
    article_save(article=draft)
    assert not PurgeRequest.objects.exists()  # a draft changes nothing readers see
    draft.status = Status.PUBLISHED
    draft.published_at = timezone.now() + datetime.timedelta(hours=1)
    article_save(article=draft)
    keys = set(PurgeRequest.objects.get().keys.split())
    assert {"home", "latest", f"ls{draft.section_id}", f"a{draft.pk}"} <= keys


def test_the_read_beacon_purges_nothing(client, settings, make_article):
    article = make_article()
    settings.FRONT_CACHE_PURGE_URLS = [f"http://127.0.0.1:{free_port()}/"]  # down: kept
    assert client.post(f"/read/{article.pk}/").status_code == 204
    assert not PurgeRequest.objects.exists()
