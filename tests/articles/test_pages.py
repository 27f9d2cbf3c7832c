import datetime
import json
import re
from html.parser import HTMLParser

import pytest
from django.utils import timezone
from pyld import jsonld

from articles.models import Article, Correction
from articles.templatetags.newsroom import ARABIC_WORDS_PER_MINUTE, hijri, reading_time
from frontpage.models import BreakingNews, FrontPageSlot
from frontpage.reads import read_record

D = datetime.date


def at_cairo(*args):
    return timezone.make_aware(datetime.datetime(*args))


class HeadParser(HTMLParser):
    """The meta tags, JSON-LD scripts and <time> elements of a page."""

    def __init__(self):
        super().__init__()
        self.meta = {}
        self.json_ld = []
        self.times = []
        self.stylesheets = []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            self.meta.setdefault(key, []).append(attrs.get("content"))
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.json_ld.append("")
        elif tag == "time":
            self.times.append(attrs)
        elif tag == "link" and attrs.get("rel") == "stylesheet":
            self.stylesheets.append(attrs)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data


def head_of(response):
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def site(make_section, make_author, make_tag, make_article):
    """A small newspaper: a section and tag with published and hidden articles."""
    section = make_section(name="اقتصاد", slug="اقتصاد")
    author = make_author(name="منى الشريف", slug="منى-الشريف", bio="محررة الاقتصاد.")
    tag = make_tag("الطاقة")
    published = make_article(
        headline="خبر منشور",
        section=section,
        authors=[author],
        tags=[tag],
        published_at=at_cairo(2024, 3, 28, 12, 0),
    )
    hidden = [
        make_article(headline="مسودة مخفية", status=Article.Status.DRAFT),
        make_article(
            headline="خبر مجدول",
            published_at=timezone.now() + datetime.timedelta(days=1),
        ),
        make_article(
            headline="خبر منتهي العرض",
            published_at=at_cairo(2024, 3, 28, 9, 0),
            expires_at=at_cairo(2024, 3, 28, 10, 0),
        ),
    ]
    for article in hidden:
        article.section = section
        article.save()
        article.tags.set([tag])
        article.bylines.create(author=author)
    return {"section": section, "author": author, "tag": tag, "published": published}


def reader_urls(site):
    return [
        "/",
        "/latest/",
        site["published"].get_absolute_url(),
        site["section"].get_absolute_url(),
        site["tag"].get_absolute_url(),
        site["author"].get_absolute_url(),
        "/archive/2024/",
        "/archive/2024/03/",
        "/archive/2024/03/28/",
    ]


def test_every_reader_page_is_arabic_right_to_left_and_lists_only_published(client, site):
    for url in reader_urls(site):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="ar" dir="rtl">' in html, url
        # The year page lists months, not headlines.
        assert ("مارس 2024" if url == "/archive/2024/" else "خبر منشور") in html, url
        for hidden in ("مسودة مخفية", "خبر مجدول", "خبر منتهي العرض"):
            assert hidden not in html, (url, hidden)


def test_every_page_has_landmarks_skip_link_and_section_links(client, site):
    for url in reader_urls(site):
        html = client.get(url).content.decode()
        assert '<a class="skip-link" href="#main">' in html
        assert '<header class="site-header">' in html and '<main id="main"' in html
        assert '<footer class="site-footer">' in html
        assert '<nav class="site-nav" aria-label="الأقسام">' in html
        assert f'href="{site["section"].get_absolute_url()}"' in html
        assert len(re.findall(r"<h1[ >]", html)) == 1, url


def test_every_shown_date_is_machine_readable(client, site):
    for url in reader_urls(site):
        response = client.get(url)
        times = head_of(response).times
        assert times, url
        assert all(t.get("datetime") for t in times), url
    times = head_of(client.get(site["published"].get_absolute_url())).times
    assert {"datetime": "2024-03-28T12:00:00+02:00"} in times


def test_hijri_date_of_28_march_2024():
    assert hijri(D(2024, 3, 28)) == "18 رمضان 1445 هـ"
    # 23:30 in Cairo on 28 March is still the 28th, though UTC says 21:30.
    assert hijri(at_cairo(2024, 3, 28, 23, 30)) == "18 رمضان 1445 هـ"
    assert hijri(at_cairo(2024, 3, 29, 0, 30)) == "19 رمضان 1445 هـ"
    assert hijri(D(1900, 1, 1)) == ""  # before the Umm al-Qura tables: nothing, not an error
    assert hijri(None) == ""


def test_article_date_line_is_arabic_with_the_hijri_date_beside_it(client, site):
    html = client.get(site["published"].get_absolute_url()).content.decode()
    assert (
        '<time class="dateline" datetime="2024-03-28">الخميس 28 مارس 2024</time> '
        '<time class="hijri-date" datetime="2024-03-28">18 رمضان 1445 هـ</time>'
    ) in html
    assert '<span class="hijri-date">18 رمضان 1445 هـ</span>' in html
    day = client.get("/archive/2024/03/28/").content.decode()
    assert "الخميس 28 مارس 2024" in day and "18 رمضان 1445 هـ" in day
    assert ">مارس 2024</time>" in client.get("/archive/2024/").content.decode()


def test_reading_time_at_138_arabic_words_a_minute(client, make_article):
    def body(words):
        return "<p>" + " ".join(["كلمة"] * words) + "</p>"

    assert ARABIC_WORDS_PER_MINUTE == 138
    assert reading_time(body(10)) == "دقيقة واحدة"
    assert reading_time(body(138)) == "دقيقة واحدة"
    assert reading_time(body(139)) == "دقيقتان"
    assert reading_time(body(300)) == "3 دقائق"
    assert reading_time(body(138 * 12)) == "12 دقيقة"
    article = make_article(body=body(300))
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<span class="reading-time">مدة القراءة: 3 دقائق</span>' in html


def test_archive_days_follow_the_newspapers_time_zone(client, make_article):
    late = make_article(headline="خبر آخر الليل", published_at=at_cairo(2024, 3, 28, 23, 30))
    early = make_article(headline="خبر الفجر", published_at=at_cairo(2024, 3, 29, 0, 30))
    day = client.get("/archive/2024/03/28/").content.decode()
    assert late.headline in day and early.headline not in day
    assert early.headline in client.get("/archive/2024/03/29/").content.decode()
    month = client.get("/archive/2024/03/").content.decode()
    assert late.headline in month and early.headline in month
    assert late.headline not in client.get("/archive/2024/04/").content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/archive/2024/02/30/",
        "/archive/2024/13/",
        "/archive/2024/00/01/",
        "/archive/99999999999999999999/01/01/",
        "/archive/99999/",
        "/archive/0/",
        "/archive/9999/12/",
        "/latest/?page=abc",
        "/latest/?page=0",
        "/latest/?page=-1",
        "/latest/?page=99",
    ],
)
def test_impossible_dates_and_pages_are_404_not_errors(client, db, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "الصفحة غير موجودة" in response.content.decode()


def test_listings_paginate_without_counting_the_table(
    client, make_section, make_article, django_assert_num_queries
):
    section = make_section()
    articles = [
        make_article(section=section, published_at=at_cairo(2024, 3, 28, 1, n)) for n in range(21)
    ]
    with django_assert_num_queries(5) as queries:
        first = client.get(section.get_absolute_url())
    assert not any("COUNT(" in query["sql"].upper() for query in queries.captured_queries)
    page = first.context["page_obj"]
    assert len(page) == 20 and page.has_next() and not page.has_previous()
    assert list(page) == articles[::-1][:20]
    html = first.content.decode()
    assert 'rel="next" href="?page=2"' in html and 'rel="prev"' not in html
    second = client.get(section.get_absolute_url() + "?page=2")
    assert list(second.context["page_obj"]) == [articles[0]]
    assert 'rel="prev" href="?page=1"' in second.content.decode()
    assert client.get(section.get_absolute_url() + "?page=3").status_code == 404
    for url in ("/archive/2024/03/28/", "/archive/2024/03/", "/latest/"):
        assert client.get(url).context["page_obj"].has_next(), url


def test_related_articles_share_tags_first_then_the_section(
    client, make_section, make_tag, make_article
):
    home, other = make_section(), make_section()
    energy, oil, gas = make_tag("طاقة"), make_tag("نفط"), make_tag("غاز")
    article = make_article(section=home, tags=[energy, oil, gas])
    two_tags = make_article(section=other, tags=[energy, oil], headline="يشترك في وسمين")
    one_tag = make_article(section=other, tags=[gas], headline="يشترك في وسم")
    same_section = make_article(section=home, headline="من القسم نفسه")
    make_article(section=other, headline="لا علاقة له")
    make_article(section=home, tags=[energy], status=Article.Status.DRAFT, headline="مسودة")
    response = client.get(article.get_absolute_url())
    assert response.context["related"] == [two_tags, one_tag, same_section]
    # Isolated, so a headline ending in Latin ("COP") never runs into the date's digits.
    assert f"<bdi>{two_tags.headline}</bdi></a> <time" in response.content.decode()


def test_previous_and_next_stay_in_the_section(client, make_section, make_article):
    section = make_section()
    older = make_article(section=section, published_at=at_cairo(2024, 3, 27, 12, 0))
    make_article(published_at=at_cairo(2024, 3, 28, 8, 0))  # another section, in between
    article = make_article(section=section, published_at=at_cairo(2024, 3, 28, 12, 0))
    newer = make_article(section=section, published_at=at_cairo(2024, 3, 29, 12, 0))
    make_article(section=section, status=Article.Status.DRAFT, published_at=None)
    response = client.get(article.get_absolute_url())
    assert (response.context["older"], response.context["newer"]) == (older, newer)
    html = response.content.decode()
    assert f'rel="prev" href="{older.get_absolute_url()}"' in html
    assert f'rel="next" href="{newer.get_absolute_url()}"' in html
    first = client.get(older.get_absolute_url()).context
    assert first["older"] is None and first["newer"] == article


def test_article_page_has_a_print_stylesheet(client, site):
    links = head_of(client.get(site["published"].get_absolute_url())).stylesheets
    assert {"rel": "stylesheet", "href": "/static/css/print.css", "media": "print"} in links


def test_author_page_shows_bio_and_photo_with_alt_text(client, make_author, make_article):
    author = make_author(name="John Smith", slug="john-smith", bio="مراسل.", photo="authors/j.jpg")
    make_article(authors=[author])
    html = client.get(author.get_absolute_url()).content.decode()
    assert 'src="/media/authors/j.jpg" alt="صورة John Smith"' in html
    assert '<h1 class="page-title" id="author-name"><bdi>John Smith</bdi></h1>' in html
    assert "مراسل." in html


@pytest.fixture
def shared_article(make_article, make_author, make_tag):
    article = make_article(
        headline='ارتفاع "الأسعار" </script><script>alert(1)</script>',
        summary="موجز الخبر للمشاركة.",
        agency_credit="وكالات الأنباء",
        lead_image="lead/2024/03/photo.jpg",
        lead_image_alt="سوق الخضار صباحًا",
        published_at=at_cairo(2024, 3, 28, 12, 0),
        authors=[make_author(name="نادر فهمي", slug="نادر-فهمي"), make_author(name="Rim Said")],
        tags=[make_tag("الأسعار")],
    )
    Correction.objects.create(
        article=article,
        text="صُحّح اسم الوزير.",
        created_at=at_cairo(2024, 3, 28, 15, 0),
    )
    Correction.objects.create(
        article=article,
        kind=Correction.Kind.UPDATE,
        text="أُضيف تصريح المتحدث.",
        created_at=at_cairo(2024, 3, 28, 16, 0),
    )
    return article


def _schema_org_only(url, options=None):
    # The network is not used: schema.org's context is replaced by its one rule that matters
    # here, every term is a schema.org IRI.
    assert url.rstrip("/") in ("https://schema.org", "http://schema.org"), url
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": {"@context": {"@vocab": "https://schema.org/"}},
    }


def test_json_ld_news_article_reads_back_with_a_json_ld_processor(client, shared_article):
    response = client.get(shared_article.get_absolute_url())
    scripts = head_of(response).json_ld
    assert len(scripts) == 1
    # The headline holds "</script>": inside the element it is \u003c/script\u003e, so the
    # element ends where it should and the JSON reads back to the same headline.
    raw = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    ).group(1)
    assert "<" not in raw and raw == scripts[0]
    assert json.loads(raw)["headline"] == shared_article.headline
    [node] = jsonld.expand(json.loads(scripts[0]), {"documentLoader": _schema_org_only})
    s = "https://schema.org/"

    def value(node, key):
        return [item.get("@value", item.get("@id")) for item in node[s + key]]

    url = "http://testserver" + shared_article.get_absolute_url()
    assert node["@type"] == [s + "NewsArticle"]
    assert value(node, "headline") == [shared_article.headline]
    assert value(node, "inLanguage") == ["ar"]
    assert value(node, "datePublished") == ["2024-03-28T10:00:00+00:00"]
    shared_article.refresh_from_db()
    assert value(node, "dateModified") == [shared_article.updated_at.isoformat()]
    assert node[s + "mainEntityOfPage"][0]["@id"] == url
    authors = node[s + "author"]
    assert [a["@type"] for a in authors] == [[s + "Person"], [s + "Person"]]
    assert [value(a, "name")[0] for a in authors] == ["نادر فهمي", "Rim Said"]
    assert value(authors[0], "url")[0].startswith("http://testserver/author/")
    [agency] = node[s + "sourceOrganization"]
    assert agency["@type"] == [s + "Organization"] and value(agency, "name") == ["وكالات الأنباء"]
    [publisher] = node[s + "publisher"]
    assert value(publisher, "name") == ["صحيفة الاختبار"]
    assert value(publisher["https://schema.org/logo"][0], "url") == [
        "http://testserver/static/img/logo.png"
    ]
    # A photo stored before renditions existed is shared as it is, with no size.
    [image] = node[s + "image"]
    assert image["@type"] == [s + "ImageObject"] and s + "width" not in image
    assert value(image, "url") == ["http://testserver/media/lead/2024/03/photo.jpg"]
    [correction] = node[s + "correction"]
    assert correction["@type"] == [s + "CorrectionComment"]
    assert value(correction, "text") == ["صُحّح اسم الوزير."]
    assert value(correction, "datePublished") == ["2024-03-28T13:00:00+00:00"]


def test_open_graph_twitter_and_canonical_tags(client, shared_article):
    response = client.get(shared_article.get_absolute_url())
    meta = head_of(response).meta
    url = "http://testserver" + shared_article.get_absolute_url()
    assert meta["og:type"] == ["article"]
    assert meta["og:url"] == [url]
    assert meta["og:title"] == [shared_article.headline]
    assert meta["og:description"] == ["موجز الخبر للمشاركة."]
    assert meta["og:image"] == ["http://testserver/media/lead/2024/03/photo.jpg"]
    assert meta["og:image:alt"] == ["سوق الخضار صباحًا"]
    assert meta["og:locale"] == ["ar_AR"] and meta["og:site_name"] == ["صحيفة الاختبار"]
    assert meta["article:tag"] == ["الأسعار"]
    assert meta["twitter:card"] == ["summary_large_image"]
    assert meta["twitter:title"] == [shared_article.headline]
    assert meta["twitter:image"] == ["http://testserver/media/lead/2024/03/photo.jpg"]
    assert f'<link rel="canonical" href="{url}">' in response.content.decode()


def test_article_without_image_gets_a_summary_card(client, make_article):
    meta = head_of(client.get(make_article().get_absolute_url())).meta
    assert meta["twitter:card"] == ["summary"] and "og:image" not in meta


def test_corrections_and_updates_show_with_their_dates(client, shared_article):
    html = client.get(shared_article.get_absolute_url()).content.decode()
    assert (
        '<li class="correction correction-correction"><strong>تصحيح</strong> '
        '<time datetime="2024-03-28T15:00:00+02:00">الخميس 28 مارس 2024 - 15:00</time>: '
        "صُحّح اسم الوزير.</li>"
    ) in html
    assert (
        '<li class="correction correction-update"><strong>تحديث</strong> '
        '<time datetime="2024-03-28T16:00:00+02:00">الخميس 28 مارس 2024 - 16:00</time>: '
        "أُضيف تصريح المتحدث.</li>"
    ) in html


@pytest.mark.parametrize("size", [2, 6])
def test_query_counts_stay_fixed_as_the_archive_grows(
    client,
    django_assert_num_queries,
    make_section,
    make_article,
    make_author,
    make_tag,
    size,
):
    section = make_section()
    authors = [make_author() for _ in range(size)]
    tags = [make_tag(f"وسم {n}") for n in range(size)]
    articles = [
        make_article(
            section=section,
            authors=authors,
            tags=tags,
            published_at=at_cairo(2024, 3, 28, 10, n),
        )
        for n in range(size * 4)
    ]
    for article in articles:
        for n in range(size):
            Correction.objects.create(article=article, text=f"تصحيح {n}")
    for position, article in enumerate(articles[: size - 1], start=1):
        FrontPageSlot.objects.create(article=article, position=position)
        read_record(article_id=article.pk)
    BreakingNews.objects.create(
        text="عاجل", expires_at=timezone.now() + datetime.timedelta(hours=1)
    )
    expected = {
        # section, its page of articles, their bylines, header sections, banner
        section.get_absolute_url(): 5,
        # tag, its page of articles, their bylines, header sections, banner
        tags[0].get_absolute_url(): 5,
        # the page of articles, their bylines, header sections, banner
        "/latest/": 4,
        "/archive/2024/03/28/": 4,
        "/archive/2024/03/": 4,
        # the months with articles, header sections, banner
        "/archive/2024/": 3,
        # see test_views.py for what the article page and the home page ask
        articles[1].get_absolute_url(): 11,
        "/": 10,
    }
    for url, count in expected.items():
        with django_assert_num_queries(count):
            response = client.get(url)
        assert response.status_code == 200
        assert "breaking-news" in response.content.decode()
    home = response.context
    assert home["lead"] == articles[0] and len(home["most_read_day"]) == size - 1
