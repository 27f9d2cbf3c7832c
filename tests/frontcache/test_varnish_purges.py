"""Surrogate keys and exact purges with the real Varnish (deploy/varnish.vcl, a private
varnishd) in front of the app (pytest-django's live server, on the real PostgreSQL).

Each editorial action is made through the write services the admin uses; their purge runs
after commit, before the service returns, so the next read through Varnish is checked at once.
Varnish is the only cache here: the app keeps no page cache of its own.
"""

import datetime
import os
import time
import urllib.error
import urllib.request

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from articles.models import Article, Correction, MastheadTerm
from articles.services import content_save, tag_save
from frontcache.models import PurgeRequest
from frontpage.models import BreakingNews, HourlyRead
from tests.private_services import VARNISHD, PrivateVarnish, free_port
from workflow.services import article_save

pytestmark = pytest.mark.django_db(transaction=True)


def _varnish_or_skip():
    if not VARNISHD.exists():
        message = f"{VARNISHD} is missing: run `make tools` (Debian's varnish, varnish-modules)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def varnish(live_server):
    _varnish_or_skip()
    cache = PrivateVarnish(live_server.url.removeprefix("http://"))
    cache.start()
    yield cache
    cache.destroy()


@pytest.fixture
def front(varnish, settings):
    """Varnish in front of the live server, purged by the app; emptied for each test."""
    settings.ALLOWED_HOSTS = ["*"]
    settings.FRONT_CACHE_PURGE_URLS = [varnish.url + "/"]
    # Lifetimes long enough that only a purge can make a page fresh.
    settings.FRONT_CACHE_SECONDS = 300
    settings.FRONT_CACHE_STALE_SECONDS = 0
    settings.FRONT_CACHE_RETRY_SECONDS = 1
    assert read(varnish, "/", method="PURGE", xkey="site")[0] == 200
    return varnish


def read(base, path, method="GET", **headers):
    url = (base if isinstance(base, str) else base.url) + path
    request = urllib.request.Request(url, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def warm(front, *paths):
    """Read each page twice through Varnish: the second read must be a hit."""
    for path in paths:
        status, _, _ = read(front, path)
        assert status == 200, path
        status, headers, _ = read(front, path)
        assert (status, headers["X-Cache"]) == (200, "HIT"), path


def cache_state(front, path):
    status, headers, body = read(front, path)
    return status, headers["X-Cache"], body


@pytest.fixture
def newsroom(make_article, make_section, make_author, make_tag):
    """Two stories in different sections, with their own tag and author: neighbours that share
    nothing a reader sees."""
    story = make_article(
        headline="خبر الاختبار الأول",
        section=make_section(),
        authors=[make_author()],
        tags=[make_tag("وسم الخبر الأول")],
    )
    neighbour = make_article(
        headline="خبر الجار الذي لا يتغير",
        section=make_section(),
        authors=[make_author()],
        tags=[make_tag("وسم الجار")],
    )
    return story, neighbour


def test_each_page_type_carries_its_keys_to_varnish_only(live_server, front, newsroom):
    story, _ = newsroom
    tag, author = story.tags.get(), story.authors.get()
    pages = {
        story.get_absolute_url(): f"a{story.pk}",
        "/": "home",
        "/latest/": "latest",
        story.section.get_absolute_url(): f"ls{story.section_id}",
        tag.get_absolute_url(): f"lt{tag.pk}",
        author.get_absolute_url(): f"lw{author.pk}",
        story.published_at.strftime("/archive/%Y/%m/"): "archive",
        "/feed/": "feed",
        f"{story.section.get_absolute_url()}feed/atom/": f"ls{story.section_id}",
        "/sitemap.xml": "sitemaps",
        "/sitemap-news.xml": "sitemaps",
        "/api/v1/articles/": "api",
        f"/api/v1/articles/{story.pk}/": f"a{story.pk}",
    }
    for path, key in pages.items():
        status, headers, _ = read(live_server.url, path)  # the app itself
        assert status == 200 and key in headers["xkey"].split(), path
        status, headers, first = read(front, path)
        assert (status, headers["X-Cache"]) == (200, "MISS"), path
        assert "xkey" not in headers, path  # stripped before the client
        status, headers, again = read(front, path)
        assert (status, headers["X-Cache"], again) == (200, "HIT", first), path


def test_an_edit_purges_its_pages_and_a_neighbour_stays_a_hit(front, newsroom):
    story, neighbour = newsroom
    paths = [story.get_absolute_url(), "/", story.section.get_absolute_url()]
    warm(front, *paths, neighbour.get_absolute_url(), neighbour.section.get_absolute_url())
    story.headline = "عنوان جديد بعد التعديل"
    article_save(article=story)
    for path in [story.get_absolute_url(), "/", story.section.get_absolute_url()]:
        status, cache, body = cache_state(front, path)
        assert (status, cache) == (200, "MISS") and "عنوان جديد بعد التعديل" in body, path
    assert cache_state(front, neighbour.get_absolute_url())[1] == "HIT"
    assert cache_state(front, neighbour.section.get_absolute_url())[1] == "HIT"
    assert PurgeRequest.objects.count() == 0  # done, nothing left pending


def test_publishing_purges_the_listings_it_joins(front, newsroom, make_article):
    story, neighbour = newsroom
    draft = make_article(
        headline="خبر ينتظر النشر", section=story.section, status=Article.Status.DRAFT
    )
    warm(front, story.section.get_absolute_url(), "/latest/", neighbour.get_absolute_url())
    draft.status = Article.Status.PUBLISHED
    draft.published_at = timezone.now() - datetime.timedelta(minutes=1)
    article_save(article=draft)
    for path in (story.section.get_absolute_url(), "/latest/"):
        status, cache, body = cache_state(front, path)
        assert cache == "MISS" and "خبر ينتظر النشر" in body, path
    assert cache_state(front, neighbour.get_absolute_url())[1] == "HIT"


def test_a_correction_purges_its_article(front, newsroom):
    story, neighbour = newsroom
    warm(front, story.get_absolute_url(), neighbour.get_absolute_url())
    # As the admin saves it: the correction inline, then the article, in one transaction.
    with transaction.atomic():
        Correction.objects.create(article=story, text="صُحّح اسم المدينة في الفقرة الثانية.")
        article_save(article=story)
    status, cache, body = cache_state(front, story.get_absolute_url())
    assert cache == "MISS" and "صُحّح اسم المدينة" in body
    assert cache_state(front, neighbour.get_absolute_url())[1] == "HIT"


def test_a_masthead_term_purges_the_masthead(front, newsroom, roles):
    story, _ = newsroom
    warm(front, story.get_absolute_url(), "/", "/api/v1/articles/")
    content_save(
        instance=MastheadTerm(
            role=roles["editor"],
            person_name="رئيسة تحرير جديدة",
            starts_on=story.publication_date() - datetime.timedelta(days=30),
        )
    )
    for path in (story.get_absolute_url(), "/"):
        status, cache, body = cache_state(front, path)
        assert cache == "MISS" and "رئيسة تحرير جديدة" in body, path
    assert cache_state(front, "/api/v1/articles/")[1] == "HIT"  # shows no masthead


def test_the_banner_purges_every_page_showing_it(front, newsroom):
    story, _ = newsroom
    warm(front, story.get_absolute_url(), "/", "/feed/")
    content_save(
        instance=BreakingNews(
            text="عاجل: خبر الاختبار العاجل",
            expires_at=timezone.now() + datetime.timedelta(hours=1),
        )
    )
    for path in (story.get_absolute_url(), "/"):
        status, cache, body = cache_state(front, path)
        assert cache == "MISS" and "خبر الاختبار العاجل" in body, path
    assert cache_state(front, "/feed/")[1] == "HIT"  # a feed shows no banner


def test_a_tag_rename_purges_its_listing_and_its_articles(front, newsroom):
    story, neighbour = newsroom
    tag = story.tags.get()
    warm(front, story.get_absolute_url(), tag.get_absolute_url(), neighbour.get_absolute_url())
    tag.name = "وسم بعد إعادة التسمية"
    tag_save(tag=tag)
    for path in (story.get_absolute_url(), tag.get_absolute_url()):
        status, cache, body = cache_state(front, path)
        assert (status, cache) == (200, "MISS") and "وسم بعد إعادة التسمية" in body, path
    assert cache_state(front, neighbour.get_absolute_url())[1] == "HIT"


def test_a_takedown_vanishes_everywhere_at_once(front, newsroom, make_article):
    story, neighbour = newsroom
    # Older, in the same section: its page links to the story (newer, related), by the story's
    # own key only.
    sibling = make_article(
        section=story.section, published_at=story.published_at - datetime.timedelta(hours=1)
    )
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    HourlyRead.objects.create(article=story, hour=hour, count=500)
    tag, author, section = story.tags.get(), story.authors.get(), story.section
    pages = [
        "/",  # with the most-read block
        "/latest/",
        section.get_absolute_url(),
        tag.get_absolute_url(),
        author.get_absolute_url(),
        "/feed/",
        "/feed/atom/",
        f"{section.get_absolute_url()}feed/",
        f"{tag.get_absolute_url()}feed/",
        f"{author.get_absolute_url()}feed/",
        "/sitemap-articles.xml",
        "/sitemap-news.xml",
        "/api/v1/articles/",
        sibling.get_absolute_url(),
        neighbour.get_absolute_url(),  # must stay
    ]
    url, api = story.get_absolute_url(), f"/api/v1/articles/{story.pk}/"
    marker = f"/news/{story.pk}/"
    warm(front, url, api, *pages)
    for path in pages[:-1]:
        assert marker in read(front, path)[2] or story.headline in read(front, path)[2], path

    story.status = Article.Status.DRAFT  # a legal takedown
    article_save(article=story)
    saved = time.monotonic()

    assert read(front, url)[0] == 404
    assert time.monotonic() - saved < 1.0
    assert read(front, api)[0] == 404
    for path in pages:
        status, _, body = read(front, path)
        assert status == 200, path
        assert marker not in body and story.headline not in body, path
    assert cache_state(front, neighbour.get_absolute_url())[1] == "HIT"
    # Republished, its cached 404 leaves too.
    story.status = Article.Status.PUBLISHED
    article_save(article=story)
    assert read(front, url)[0] == 200


def test_varnish_down_at_save_time_then_back(live_server, settings, front, newsroom):
    story, _ = newsroom
    _varnish_or_skip()
    down = PrivateVarnish(live_server.url.removeprefix("http://"))
    settings.FRONT_CACHE_PURGE_URLS = [front.url + "/", down.url + "/"]
    try:
        down.start()
        warm(down, story.get_absolute_url())
        down.stop()
        story.headline = "عنوان حُفظ والذاكرة متوقفة"
        article_save(article=story)  # succeeds: no error reaches the editor
        pending = PurgeRequest.objects.get()
        assert f"a{story.pk}" in pending.keys.split() and pending.attempts == 1
        assert "عنوان حُفظ والذاكرة متوقفة" in read(front, story.get_absolute_url())[2]

        down.start()
        call_command("purge_front_cache")
        assert PurgeRequest.objects.count() == 0
        status, cache, body = cache_state(down, story.get_absolute_url())
        assert cache == "MISS" and "عنوان حُفظ والذاكرة متوقفة" in body
    finally:
        down.destroy()


def test_an_unreachable_node_is_purged_by_the_lazy_retry(live_server, settings, front, newsroom):
    story, _ = newsroom
    warm(front, story.get_absolute_url())
    real = list(settings.FRONT_CACHE_PURGE_URLS)
    settings.FRONT_CACHE_PURGE_URLS = [f"http://127.0.0.1:{free_port()}/"]  # nothing listens
    story.headline = "عنوان لم يصل حذفه بعد"
    article_save(article=story)
    assert PurgeRequest.objects.get().attempts == 1
    status, cache, body = cache_state(front, story.get_absolute_url())
    assert cache == "HIT" and "عنوان لم يصل حذفه بعد" not in body  # stale: the purge is owed

    settings.FRONT_CACHE_PURGE_URLS = real  # the node is reachable again
    time.sleep(settings.FRONT_CACHE_RETRY_SECONDS + 0.2)  # past the backoff
    read(live_server.url, "/latest/")  # any request to the app retries what is due
    assert PurgeRequest.objects.count() == 0
    status, cache, body = cache_state(front, story.get_absolute_url())
    assert cache == "MISS" and "عنوان لم يصل حذفه بعد" in body
