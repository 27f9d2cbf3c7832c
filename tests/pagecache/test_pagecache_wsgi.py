"""The WSGI-layer shortcut (pagecache/wsgi.py): cached pages answered before Django's
middleware, on the real Redis, with exactly the headers of the full stack."""

import pytest
from django.core.handlers.wsgi import WSGIHandler

from pagecache.wsgi import CachedPageApplication
from tests.wsgi_helpers import call
from workflow.services import article_save


@pytest.mark.parametrize("secure", [False, True])
def test_a_hit_carries_exactly_the_headers_of_the_full_stack(
    apps, rf, settings, make_article, django_assert_num_queries, secure
):
    settings.SECURE_HSTS_SECONDS = 3600
    # Both built after the setting above: middlewares read settings when they are built.
    django_app, reached = WSGIHandler(), []

    def counted(environ, start_response):
        reached.append(1)
        return django_app(environ, start_response)

    shortcut = CachedPageApplication(counted)
    url = make_article(headline="خبر من الطبقة الأولى").get_absolute_url()
    first = call(shortcut, rf, url, secure=secure)  # a miss: Django renders and stores
    assert len(reached) == 1 and first["status"] == "200 OK"
    with django_assert_num_queries(0):
        hit = call(shortcut, rf, url, secure=secure)
    assert len(reached) == 1  # answered by the shortcut
    full = call(django_app, rf, url, secure=secure)  # the same cached page through the stack
    assert hit["status"] == full["status"] == "200 OK"
    assert hit["headers"] == full["headers"]
    assert hit["body"] == full["body"] == first["body"]
    assert "خبر من الطبقة الأولى" in hit["body"].decode()
    header = hit["header"]
    for name in [
        "content-security-policy",
        "x-frame-options",
        "x-content-type-options",
        "referrer-policy",
        "cross-origin-opener-policy",
        "etag",
        "last-modified",
    ]:
        assert name in header
    assert ("strict-transport-security" in header) is secure
    assert "s-maxage=1" in header["cache-control"]


def test_304_and_head_match_the_full_stack(apps, rf, make_article):
    shortcut, reached, django_app = apps
    url = make_article().get_absolute_url()
    first = call(shortcut, rf, url)
    etag, modified = first["header"]["etag"], first["header"]["last-modified"]
    cases = [
        ("get", {"HTTP_IF_NONE_MATCH": etag}, "304 Not Modified"),
        ("get", {"HTTP_IF_MODIFIED_SINCE": modified}, "304 Not Modified"),
        ("get", {"HTTP_IF_NONE_MATCH": '"other"'}, "200 OK"),
        ("head", {}, "200 OK"),
    ]
    for method, extra, status in cases:
        hit = call(shortcut, rf, url, method=method, **extra)
        full = call(django_app, rf, url, method=method, **extra)
        assert hit["status"] == full["status"] == status
        assert hit["headers"] == full["headers"]
        if status.startswith("304") or method == "head":
            assert hit["body"] == b""
    assert len(reached) == 1


def test_an_edit_reaches_the_very_next_request(
    apps, rf, make_article, django_capture_on_commit_callbacks
):
    shortcut, reached, _ = apps
    article = make_article(headline="العنوان الأول")
    url = article.get_absolute_url()
    call(shortcut, rf, url)
    assert "العنوان الأول" in call(shortcut, rf, url)["body"].decode()
    assert len(reached) == 1
    article.headline = "العنوان بعد التعديل"
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=article)
    assert "العنوان بعد التعديل" in call(shortcut, rf, url)["body"].decode()
    assert len(reached) == 2  # the old entry's generation is no longer current
    assert "العنوان بعد التعديل" in call(shortcut, rf, url)["body"].decode()
    assert len(reached) == 2


def test_staff_with_a_session_cookie_always_reach_django(apps, rf, client, make_article):
    shortcut, reached, _ = apps
    url = make_article().get_absolute_url()
    call(shortcut, rf, url)
    answer = call(shortcut, rf, url, HTTP_COOKIE="sessionid=anything; other=1")
    assert len(reached) == 2
    assert "private" in answer["header"]["cache-control"]
    call(shortcut, rf, url, HTTP_COOKIE="other=1")  # another cookie: still a reader
    assert len(reached) == 2


def test_rate_limited_search_is_never_answered_by_the_shortcut(apps, rf, settings, make_article):
    settings.RATELIMIT_SEARCH = "2/60"
    shortcut, reached, _ = apps
    make_article(headline="الموازنة العامة")
    statuses = [call(shortcut, rf, "/search/?q=الموازنة")["status"] for _ in range(3)]
    assert statuses == ["200 OK", "200 OK", "429 Too Many Requests"]
    assert len(reached) == 3  # every request counted by the rate limit


def test_no_shortcut_before_a_redirect_to_https_or_for_a_bad_host(apps, rf, settings, make_article):
    shortcut, reached, _ = apps
    url = make_article().get_absolute_url()
    call(shortcut, rf, url)
    settings.SECURE_SSL_REDIRECT = True
    redirected = []
    django_app = WSGIHandler()  # its SecurityMiddleware reads the setting when built

    def counted(environ, start_response):
        redirected.append(1)
        return django_app(environ, start_response)

    answer = call(CachedPageApplication(counted), rf, url)
    assert answer["status"].startswith("301") and redirected == [1]
    settings.SECURE_SSL_REDIRECT = False
    assert call(shortcut, rf, url, HTTP_HOST="evil.example")["status"].startswith("400")
    assert len(reached) == 2


def test_with_redis_down_django_serves_the_page(apps, rf, settings, make_article):
    shortcut, reached, _ = apps
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.FailSoftRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    url = make_article(headline="خبر بلا ريديس").get_absolute_url()
    for _ in range(2):
        assert "خبر بلا ريديس" in call(shortcut, rf, url)["body"].decode()
    assert len(reached) == 2
