"""Surrogate keys on each page type, the keys each change purges, and the durable purge record,
through Django's test client on the real PostgreSQL (Varnish itself: test_varnish_purges.py)."""

import datetime
import http.server
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.events import ArticleChange
from articles.models import Article
from frontcache import keys, purge
from frontcache.models import PurgeRequest
from frontpage.models import HourlyRead
from frontpage.services import most_read
from tests.private_services import free_port
from workflow.services import article_save


@pytest.fixture
def keyed(settings):
    """Keys sent for a CDN as well as for Varnish; no Varnish to purge."""
    settings.SURROGATE_KEY_HEADERS = ["surrogate-key", "cache-tag"]
    return settings


@pytest.fixture
def story(make_article, make_section, make_author, make_tag):
    section = make_section()
    return make_article(section=section, authors=[make_author()], tags=[make_tag("اقتصاد عالمي")])


def key_set(response):
    return set(response["xkey"].split())


def test_an_article_page_names_what_it_shows(client, keyed, story):
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    tag, author = story.tags.get(), story.authors.get()
    expected = {"site", f"a{story.pk}", f"s{story.section_id}", f"t{tag.pk}", f"w{author.pk}"}
    assert expected | {"masthead", "banner", "nav"} <= key_set(response)
    # The same keys for a CDN: space-separated (Fastly), comma-separated (Cloudflare).
    assert response["Surrogate-Key"] == response["xkey"]
    assert response["Cache-Tag"] == response["xkey"].replace(" ", ",")


def test_a_missing_article_names_itself(db, client, keyed):
    # Cached as a 404, it must leave the cache when an article with this id is published.
    response = client.get("/news/987654/")
    assert response.status_code == 404
    assert "a987654" in key_set(response)


def test_listings_name_their_articles(client, keyed, story):
    tag, author = story.tags.get(), story.authors.get()
    pages = {
        story.section.get_absolute_url(): {f"ls{story.section_id}", f"s{story.section_id}"},
        tag.get_absolute_url(): {f"lt{tag.pk}", f"t{tag.pk}"},
        author.get_absolute_url(): {f"lw{author.pk}", f"w{author.pk}"},
        "/latest/": {"latest"},
        "/": {"home", "slots", "mostread", "masthead"},
        story.published_at.strftime("/archive/%Y/%m/"): {"archive"},
    }
    for path, own in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert own | {"site", f"a{story.pk}", "banner", "nav"} <= key_set(response), path


def test_feeds_sitemaps_and_the_api_are_keyed(client, keyed, story):
    tag = story.tags.get()
    pages = {
        "/feed/": {"feeds", "feed"},
        "/feed/atom/": {"feeds", "feed"},
        f"{tag.get_absolute_url()}feed/": {"feeds", f"lt{tag.pk}"},
        "/sitemap.xml": {"sitemaps"},
        "/sitemap-news.xml": {"sitemaps"},
        "/api/v1/articles/": {"api"},
        "/api/v1/tags/": {"api"},
        "/api/v1/masthead/": {"masthead"},
        f"/api/v1/articles/{story.pk}/": {f"a{story.pk}", f"t{tag.pk}", f"s{story.section_id}"},
    }
    for path, own in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert own | {"site"} <= key_set(response), path


def test_xkey_always_and_cdn_headers_only_when_asked(client, story):
    # No setting: Varnish's xkey still goes out (it strips it), a CDN's headers do not.
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200 and f"a{story.pk}" in key_set(response)
    assert "Surrogate-Key" not in response and "Cache-Tag" not in response


def test_no_keys_on_what_a_shared_cache_must_not_keep(client, staff_client, keyed, story):
    assert "xkey" not in staff_client.get(story.get_absolute_url())  # a session: staff
    assert "xkey" not in client.post("/latest/")
    # Rate-limited: each request must reach the app to be counted.
    response = client.get("/search/", {"q": "عنوان"})
    assert response.status_code == 200 and "xkey" not in response


def test_keys_cost_no_query(client, settings, story, make_article):
    make_article(section=story.section)
    paths = ["/", story.get_absolute_url(), story.section.get_absolute_url(), "/feed/"]

    def counts():
        client.get("/")  # warm the most-read block's cache as a running site has it
        result = []
        for path in paths:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            result.append(len(queries))
        return result

    settings.SURROGATE_KEY_HEADERS = []
    without = counts()
    settings.SURROGATE_KEY_HEADERS = ["surrogate-key"]
    assert counts() == without


def test_keys_of_an_article_change():
    draft = ArticleChange(article_id=7, old_section_id=1, new_section_id=1)
    assert keys.for_article_change(draft) == set()
    moved = ArticleChange(
        article_id=7,
        old_section_id=1,
        new_section_id=2,
        old_tag_ids=frozenset({3}),
        new_tag_ids=frozenset({4}),
        old_author_ids=(5,),
        new_author_ids=(5, 6),
        was_public=True,
        is_public=False,
    )
    assert keys.for_article_change(moved) == {
        "a7", "ls1", "ls2", "lt3", "lt4", "lw5", "lw6", "home", "latest", "archive", "feed",
        "sitemaps", "api", "mostread",
    }  # fmt: skip
    published = ArticleChange(article_id=7, old_section_id=1, new_section_id=1, is_public=True)
    assert "mostread" not in keys.for_article_change(published)


def test_keys_of_other_changes():
    assert keys.for_content_change("articles.Tag", {3}) == {
        "t3", "lt3", "feeds", "sitemaps", "api"
    }  # fmt: skip
    assert keys.for_content_change("articles.Section", {2}) >= {"s2", "ls2", "nav", "home"}
    assert keys.for_content_change("articles.MastheadTerm", {1}) == {"masthead"}
    assert keys.for_content_change("frontpage.BreakingNews", {1}) == {"banner"}
    assert keys.for_content_change("frontpage.FrontPageSlot", {1}) == {"slots", "home"}
    assert keys.for_content_change(None, None) == {"site"}
    assert keys.for_content_change("elsewhere.Unknown", {1}) == {"site"}


def test_an_unknown_name_is_refused():
    with pytest.raises(ValueError):
        keys.keys_of(["hom"])


class PurgeCounter(http.server.BaseHTTPRequestHandler):
    """A stand-in Varnish node that records the xkey header of each PURGE it answers."""

    protocol_version = "HTTP/1.1"
    received = []

    def do_PURGE(self):
        self.received.append(self.headers["xkey"])
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def node(settings):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), PurgeCounter)
    PurgeCounter.received = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.FRONT_CACHE_PURGE_URLS = [f"http://127.0.0.1:{server.server_address[1]}/"]
    yield PurgeCounter.received
    server.shutdown()
    server.server_close()


@pytest.fixture
def dead_node(settings):
    settings.FRONT_CACHE_PURGE_URLS = [f"http://127.0.0.1:{free_port()}/"]
    settings.FRONT_CACHE_RETRY_SECONDS = 10


def test_a_purge_is_recorded_in_the_edit_s_transaction(dead_node, make_article):
    with pytest.raises(RuntimeError), transaction.atomic():
        make_article()
        assert PurgeRequest.objects.count() == 1
        raise RuntimeError("the edit fails after the article was written")
    assert PurgeRequest.objects.count() == 0  # rolled back with the edit


def test_a_failed_purge_stays_pending_with_backoff(
    dead_node, make_article, django_capture_on_commit_callbacks
):
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article()
    pending = PurgeRequest.objects.get()
    assert f"a{article.pk}" in pending.keys.split()
    assert pending.attempts == 1 and "127.0.0.1" in pending.last_error
    assert pending.next_attempt_at >= before + datetime.timedelta(seconds=10)
    # Not due yet: the next notification leaves it alone, and it doubles after a second failure.
    assert purge.purge_pending() == (0, 0)
    assert purge.purge_pending(due_only=False) == (0, 1)
    assert PurgeRequest.objects.get().attempts == 2
    assert purge.backoff(2) == 20 and purge.backoff(30) == purge.MAX_BACKOFF


def test_pending_purges_are_coalesced(node, make_article):
    # Inside the test's transaction nothing commits, so the three records stay pending.
    first, second, third = make_article(), make_article(), make_article()
    assert PurgeRequest.objects.count() == 3
    assert purge.purge_pending() == (3, 0)
    assert len(node) == 1  # one PURGE naming every key
    sent = set(node[0].split())
    assert {f"a{first.pk}", f"a{second.pk}", f"a{third.pk}", "home"} <= sent
    assert PurgeRequest.objects.count() == 0


def test_long_key_lists_are_split_below_varnish_s_header_limit(node):
    many = {f"a{number}" for number in range(3000)}
    assert purge.send(many) is None
    assert len(node) > 1 and all(len(header) <= purge.MAX_HEADER for header in node)
    assert set(" ".join(node).split()) == many


def test_the_command_sends_pending_purges_or_everything(node, settings, make_article):
    make_article()
    call_command("purge_front_cache")
    assert PurgeRequest.objects.count() == 0 and len(node) == 1
    make_article()
    call_command("purge_front_cache", "--all")
    assert node[-1] == "site" and PurgeRequest.objects.count() == 0
    settings.FRONT_CACHE_PURGE_URLS = []
    with pytest.raises(CommandError):
        call_command("purge_front_cache")


def test_the_command_fails_while_a_node_is_down(dead_node, make_article):
    make_article()
    with pytest.raises(CommandError):
        call_command("purge_front_cache")
    assert PurgeRequest.objects.get().attempts == 1


def test_an_unpublished_article_leaves_most_read_at_once(
    make_article, django_capture_on_commit_callbacks
):
    taken_down, other = make_article(), make_article()
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    HourlyRead.objects.create(article=taken_down, hour=hour, count=50)
    HourlyRead.objects.create(article=other, hour=hour, count=10)
    assert [entry["id"] for entry in most_read("day")] == [taken_down.pk, other.pk]  # cached
    taken_down.status = Article.Status.DRAFT
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=taken_down)
    assert [entry["id"] for entry in most_read("day")] == [other.pk]
