import calendar
import datetime
import itertools
from html.parser import HTMLParser
from urllib.parse import unquote

import feedparser
import pytest
from django.utils import timezone
from django.utils.http import http_date
from lxml import etree

from articles.models import Article

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
NS = {"sm": SITEMAP_NS, "news": NEWS_NS}
BASE = "http://testserver"
_numbers = itertools.count()


@pytest.fixture
def newsroom(make_article, make_author, make_tag, make_section):
    """Visible articles plus one of each kind readers must never see."""
    now = timezone.now()
    economy = make_section(name="اقتصاد", slug="اقتصاد")
    author = make_author(name="نادر فهمي", slug="نادر-فهمي")
    tag = make_tag("الموازنة", slug="الموازنة")
    older = make_article(
        headline="البرلمان يقر الموازنة",
        summary="موجز الموازنة & الضرائب",
        section=economy,
        authors=[author, make_author(name="ريم سعيد")],
        agency_credit="وكالات الأنباء",
        tags=[tag, make_tag("البرلمان")],
        published_at=now - datetime.timedelta(days=3),
    )
    newer = make_article(
        headline="الأسهم ترتفع <بقوة> & بثبات",
        section=economy,
        authors=[author],
        tags=[tag],
        published_at=now - datetime.timedelta(hours=2),
    )
    hidden = [
        make_article(headline="مسودة سرية", section=economy, authors=[author], tags=[tag],
                     status=Article.Status.DRAFT, published_at=None),
        make_article(headline="خبر مجدول", section=economy, authors=[author], tags=[tag],
                     published_at=now + datetime.timedelta(hours=3)),
        make_article(headline="خبر منتهي", section=economy, authors=[author], tags=[tag],
                     published_at=now - datetime.timedelta(hours=5),
                     expires_at=now - datetime.timedelta(hours=1)),
        make_article(headline="خبر أُلغي نشره", section=economy, authors=[author], tags=[tag],
                     status=Article.Status.UNPUBLISHED),
    ]  # fmt: skip
    hidden_section = make_section(name="قسم بلا منشور", slug="قسم-بلا-منشور")
    make_article(headline="مسودة في قسم خاص", section=hidden_section,
                 status=Article.Status.DRAFT, published_at=None)  # fmt: skip
    return {
        "section": economy,
        "author": author,
        "tag": tag,
        "older": older,
        "newer": newer,
        "hidden": hidden,
        "hidden_section": hidden_section,
    }


FEED_URLS = [
    ("/feed/", "rss20"),
    ("/feed/atom/", "atom10"),
    ("/section/اقتصاد/feed/", "rss20"),
    ("/section/اقتصاد/feed/atom/", "atom10"),
    ("/tag/الموازنة/feed/", "rss20"),
    ("/tag/الموازنة/feed/atom/", "atom10"),
    ("/author/نادر-فهمي/feed/", "rss20"),
    ("/author/نادر-فهمي/feed/atom/", "atom10"),
]


@pytest.mark.parametrize(("url", "version"), FEED_URLS)
def test_feeds_parse_and_list_only_published_articles(client, newsroom, url, version):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == version
    assert feed.feed.language == "ar"
    assert "صحيفة الاختبار" in feed.feed.title
    assert [entry.title for entry in feed.entries] == [
        "الأسهم ترتفع <بقوة> & بثبات",
        "البرلمان يقر الموازنة",
    ]
    newer, older = feed.entries
    assert unquote(older.link) == BASE + unquote(newsroom["older"].get_absolute_url())
    published = datetime.datetime.fromtimestamp(
        calendar.timegm(older.published_parsed), tz=datetime.UTC
    )
    assert abs(published - newsroom["older"].published_at) < datetime.timedelta(seconds=1)
    assert older.author == "نادر فهمي، ريم سعيد، وكالات الأنباء"
    assert sorted(tag.term for tag in older.tags) == ["البرلمان", "الموازنة"]
    assert older.summary == "موجز الموازنة & الضرائب"
    assert newer.author == "نادر فهمي"


@pytest.mark.parametrize(
    "url", ["/section/لا-يوجد/feed/", "/tag/لا-يوجد/feed/atom/", "/author/لا-يوجد/feed/"]
)
def test_feed_of_unknown_slug_is_404(client, db, url):
    assert client.get(url).status_code == 404


def test_pages_announce_their_feeds(client, newsroom):
    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.links = []

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "link" and attrs.get("rel") == "alternate":
                self.links.append((attrs["type"], unquote(attrs["href"])))

    def links(url):
        parser = Links()
        parser.feed(client.get(url).content.decode())
        return parser.links

    site = [("application/rss+xml", "/feed/"), ("application/atom+xml", "/feed/atom/")]
    assert links("/") == site
    assert links(newsroom["section"].get_absolute_url()) == [
        *site,
        ("application/rss+xml", "/section/اقتصاد/feed/"),
    ]
    assert links(newsroom["tag"].get_absolute_url())[-1] == (
        "application/rss+xml",
        "/tag/الموازنة/feed/",
    )
    assert links(newsroom["author"].get_absolute_url())[-1] == (
        "application/rss+xml",
        "/author/نادر-فهمي/feed/",
    )


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def locations(root):
    return [unquote(loc) for loc in root.xpath("//sm:url/sm:loc/text()", namespaces=NS)]


def test_sitemap_index_names_one_sitemap_per_kind_with_lastmod(client, newsroom):
    root = xml(client, "/sitemap.xml")
    assert root.tag == f"{{{SITEMAP_NS}}}sitemapindex"
    entries = root.xpath("sm:sitemap", namespaces=NS)
    assert [e.findtext(f"{{{SITEMAP_NS}}}loc") for e in entries] == [
        f"{BASE}/sitemap-{kind}.xml" for kind in ("articles", "sections", "tags", "authors", "news")
    ]
    for entry in entries:
        lastmod = datetime.datetime.fromisoformat(entry.findtext(f"{{{SITEMAP_NS}}}lastmod"))
        assert lastmod.tzinfo is not None


def test_sitemaps_list_only_what_readers_can_see(client, newsroom):
    articles = xml(client, "/sitemap-articles.xml")
    assert articles.tag == f"{{{SITEMAP_NS}}}urlset"
    assert locations(articles) == [
        BASE + unquote(newsroom[key].get_absolute_url()) for key in ("newer", "older")
    ]
    assert all(
        datetime.date.fromisoformat(text)
        for text in articles.xpath("//sm:lastmod/text()", namespaces=NS)
    )
    assert locations(xml(client, "/sitemap-sections.xml")) == [f"{BASE}/section/اقتصاد/"]
    assert f"{BASE}/tag/الموازنة/" in locations(xml(client, "/sitemap-tags.xml"))
    assert locations(xml(client, "/sitemap-authors.xml")) == [
        f"{BASE}/author/نادر-فهمي/",
        BASE + unquote(newsroom["older"].ordered_authors()[1].get_absolute_url()),
    ]


def test_news_sitemap_has_last_48_hours_with_publication(client, newsroom):
    root = xml(client, "/sitemap-news.xml")
    assert root.nsmap == {None: SITEMAP_NS, "news": NEWS_NS}
    urls = root.xpath("sm:url", namespaces=NS)
    assert len(urls) == 1  # the older article is three days old; hidden ones never appear
    (url,) = urls
    assert unquote(url.findtext("sm:loc", namespaces=NS)) == BASE + unquote(
        newsroom["newer"].get_absolute_url()
    )
    news = url.find("news:news", namespaces=NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == "صحيفة الاختبار"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "ar"
    assert news.findtext("news:title", namespaces=NS) == "الأسهم ترتفع <بقوة> & بثبات"
    published = datetime.datetime.fromisoformat(
        news.findtext("news:publication_date", namespaces=NS)
    )
    assert published == newsroom["newer"].published_at.replace(microsecond=0)


def test_robots_txt_allows_the_site_but_not_admin_or_search(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines and "Allow: /" in lines
    assert "Disallow: /admin/" in lines and "Disallow: /search/" in lines
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
    assert f"Sitemap: {BASE}/sitemap-news.xml" in lines


def _grow(make_article, make_author, make_tag, newsroom, count):
    """More articles in the same section, by the same author, with the same tag, and more."""
    for _ in range(count):
        make_article(
            headline=f"خبر رقم {next(_numbers)}",
            section=newsroom["section"],
            authors=[newsroom["author"], make_author()],
            tags=[newsroom["tag"], make_tag(f"وسم {next(_numbers)}")],
        )


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/feed/", 3),  # articles, bylines with authors, tags
        ("/feed/atom/", 3),
        ("/section/اقتصاد/feed/", 4),  # + the section
        ("/tag/الموازنة/feed/", 4),
        ("/author/نادر-فهمي/feed/atom/", 4),
        ("/sitemap.xml", 10),  # per sitemap: a count and the latest lastmod
        ("/sitemap-articles.xml", 2),  # a count and the page
        ("/sitemap-authors.xml", 2),
        ("/sitemap-news.xml", 2),
        ("/robots.txt", 0),
    ],
)
def test_query_count_is_constant(
    client, newsroom, make_article, make_author, make_tag, django_assert_num_queries, url, queries
):
    for extra in (0, 25):
        _grow(make_article, make_author, make_tag, newsroom, extra)
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200


def test_listing_sitemap_forgets_the_last_modified_time_of_a_past_request(client, make_article):
    published_at = timezone.now() - datetime.timedelta(days=3)
    article = make_article(published_at=published_at)
    stale = http_date(published_at.timestamp())
    assert client.get("/sitemap-sections.xml")["Last-Modified"] == stale
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    emptied = client.get("/sitemap-sections.xml")
    assert emptied.status_code == 200 and emptied["Last-Modified"] != stale
