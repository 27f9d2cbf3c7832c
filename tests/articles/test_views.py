import datetime
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article

D = datetime.date


class PageParser(HTMLParser):
    """Collect the parts of a page the tests look at, as a reader's browser would see them."""

    def __init__(self):
        super().__init__()
        self.html_attrs = {}
        self.stack = []
        self.texts = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_attrs = attrs
        key = attrs.get("class", tag).split()[0] if attrs.get("class") else tag
        self.stack.append((tag, key))
        self.texts.setdefault(key, []).append("")

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        for _, key in self.stack:
            self.texts[key][-1] += data


def parse(response):
    parser = PageParser()
    parser.feed(response.content.decode())
    return parser


def text_of(parser, key):
    return [re.sub(r"\s+", " ", text).strip() for text in parser.texts.get(key, [])]


@pytest.fixture
def seed_like_article(make_article, make_author, make_tag, roles, make_term):
    make_term(roles["chairman"], "رئيسة سابقة", D(2020, 1, 1), D(2024, 3, 27))
    make_term(roles["chairman"], "سلمى عادل", D(2024, 3, 28))
    make_term(roles["editor"], "حسن مراد", D(2021, 1, 1))
    noon = timezone.make_aware(datetime.datetime(2024, 3, 28, 12, 0))
    return make_article(
        headline="محادثات لإعلان «هدنة أسبوع» في المدينة",
        slug="محادثات-هدنة",
        kicker="تمهيد قصير",
        agency_credit="وكالات الأنباء",
        body="<p>الفقرة الأولى.</p><p>الفقرة الثانية.</p><p>الفقرة الثالثة.</p>",
        published_at=noon,
        authors=[make_author(name="نادر فهمي"), make_author(name="ريم سعيد")],
        tags=[make_tag("الاقتصاد"), make_tag("المدن")],
    )


def test_article_page_is_built_like_the_printed_page(client, seed_like_article):
    response = client.get(seed_like_article.get_absolute_url())
    assert response.status_code == 200
    page = parse(response)
    assert page.html_attrs == {"lang": "ar", "dir": "rtl"}
    assert text_of(page, "title") == ["محادثات لإعلان «هدنة أسبوع» في المدينة | صحيفة الاختبار"]
    assert text_of(page, "h1") == [] and text_of(page, "headline") == [
        "محادثات لإعلان «هدنة أسبوع» في المدينة"
    ]
    assert text_of(page, "dateline") == ["الخميس 28 مارس 2024"]
    assert text_of(page, "masthead-term") == [
        "رئيس مجلس الإدارة سلمى عادل",
        "رئيس التحرير حسن مراد",
    ]
    assert text_of(page, "byline") == ["كتب - نادر فهمي وريم سعيد ووكالات الأنباء"]
    assert text_of(page, "article-body") == ["الفقرة الأولى.الفقرة الثانية.الفقرة الثالثة."]
    assert response.content.decode().count("<p>الفقرة") == 3
    assert text_of(page, "tag") == ["الاقتصاد", "المدن"]
    assert text_of(page, "kicker") == ["تمهيد قصير"]


def test_article_page_headline_is_the_only_h1_and_authors_link_to_their_pages(
    client, seed_like_article
):
    html = client.get(seed_like_article.get_absolute_url()).content.decode()
    assert len(re.findall(r"<h1[ >]", html)) == 1
    for author in seed_like_article.ordered_authors():
        assert (
            f'href="{author.get_absolute_url()}" rel="author"><bdi>{author.name}</bdi></a>' in html
        )
    assert '<link rel="canonical" href="http://testserver/news/' in html


def test_byline_without_agency_or_authors(client, make_article, make_author):
    solo = make_article(authors=[make_author(name="منى الشريف")])
    agency_only = make_article(agency_credit="وكالات الأنباء")
    nobody = make_article()
    assert text_of(parse(client.get(solo.get_absolute_url())), "byline") == ["كتب - منى الشريف"]
    assert text_of(parse(client.get(agency_only.get_absolute_url())), "byline") == [
        "كتب - وكالات الأنباء"
    ]
    assert text_of(parse(client.get(nobody.get_absolute_url())), "byline") == []


def test_wrong_or_missing_slug_redirects_permanently_to_the_canonical_url(client, make_article):
    article = make_article(headline="عنوان جديد", slug="عنوان-جديد")
    for path in [f"/news/{article.pk}/عنوان-قديم/", f"/news/{article.pk}/"]:
        response = client.get(path)
        assert response.status_code == 301
        assert (
            response["Location"]
            == f"/news/{article.pk}/%D8%B9%D9%86%D9%88%D8%A7%D9%86-%D8%AC%D8%AF%D9%8A%D8%AF/"
        )
    assert client.get(response["Location"]).status_code == 200


def test_drafts_and_scheduled_articles_are_404_to_readers(client, make_article):
    draft = make_article(status=Article.Status.DRAFT)
    scheduled = make_article(published_at=timezone.now() + datetime.timedelta(hours=3))
    for article in (draft, scheduled):
        response = client.get(article.get_absolute_url())
        assert response.status_code == 404
        assert "الصفحة غير موجودة" in response.content.decode()


def test_home_lists_only_published_articles_with_todays_masthead(
    client, make_article, roles, make_term
):
    make_term(roles["editor"], "رئيس تحرير سابق", D(2000, 1, 1), D(2001, 1, 1))
    make_term(roles["editor"], "رئيس التحرير اليوم", D(2020, 1, 1))
    visible = make_article(headline="خبر منشور")
    make_article(headline="مسودة سرية", status=Article.Status.DRAFT)
    make_article(headline="خبر مجدول", published_at=timezone.now() + datetime.timedelta(days=1))
    response = client.get(reverse("frontpage:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert visible.get_absolute_url() in html
    assert "مسودة سرية" not in html and "خبر مجدول" not in html
    page = parse(response)
    assert text_of(page, "masthead-term") == ["رئيس التحرير رئيس التحرير اليوم"]
    assert text_of(page, "dateline")[0].endswith(str(timezone.localdate().year))


def test_latest_list_is_paginated(client, make_section, make_article):
    section = make_section()
    for _ in range(25):
        make_article(section=section)
    first = client.get("/latest/")
    second = client.get("/latest/?page=2")
    assert len(first.context["page_obj"]) == 20 and first.context["page_obj"].has_next()
    assert len(second.context["page_obj"]) == 5 and not second.context["page_obj"].has_next()
    assert client.get("/latest/?page=9").status_code == 404


def test_author_page_lists_their_published_articles(client, make_article, make_author):
    author = make_author(name="منى الشريف", slug="منى-الشريف", bio="محررة الصحة.")
    theirs = make_article(headline="خبرها", authors=[author])
    make_article(headline="مسودتها", authors=[author], status=Article.Status.DRAFT)
    make_article(headline="خبر غيرها", authors=[make_author()])
    response = client.get("/author/منى-الشريف/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "محررة الصحة." in html and theirs.get_absolute_url() in html
    assert "مسودتها" not in html and "خبر غيرها" not in html
    assert client.get("/author/لا-أحد/").status_code == 404


def test_section_and_tag_pages_list_only_their_published_articles(
    client, make_section, make_article, make_tag
):
    section = make_section(name="رياضة", slug="رياضة")
    tag = make_tag("كرة القدم")
    inside = make_article(headline="داخل القسم", section=section, tags=[tag])
    make_article(headline="مسودة القسم", section=section, tags=[tag], status=Article.Status.DRAFT)
    make_article(headline="قسم آخر")
    for url in (section.get_absolute_url(), tag.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert inside.get_absolute_url() in html
        assert "مسودة القسم" not in html and "قسم آخر" not in html
    assert client.get("/section/لا-شيء/").status_code == 404
    assert client.get("/tag/لا-شيء/").status_code == 404


def test_editor_text_is_escaped_everywhere_but_the_sanitised_body(
    client, make_article, make_author
):
    article = make_article(
        headline='<script>alert("h")</script>',
        kicker="<b>k</b>",
        summary="<img src=x onerror=alert(1)>",
        authors=[make_author(name="<i>name</i>")],
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert" not in html and "<b>k</b>" not in html and "<i>name</i>" not in html
    assert "&lt;script&gt;alert(&quot;h&quot;)&lt;/script&gt;" in html
    home = client.get("/").content.decode()
    assert "<img src=x" not in home and "&lt;img src=x onerror=alert(1)&gt;" in home


def test_unknown_page_is_an_arabic_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert 'lang="ar" dir="rtl"' in response.content.decode()
    assert "الصفحة غير موجودة" in response.content.decode()


def test_server_error_page_is_arabic(client, settings, monkeypatch):
    from frontpage import views

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.HomeView, "get", broken)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    html = response.content.decode()
    assert 'lang="ar" dir="rtl"' in html and "حدث خطأ غير متوقع" in html


@pytest.mark.parametrize("size", [2, 6])
def test_reader_pages_run_the_same_few_queries_whatever_the_data_size(
    client,
    django_assert_num_queries,
    make_section,
    make_article,
    make_author,
    make_tag,
    roles,
    make_term,
    size,
):
    make_term(roles["editor"], "فلان", D(2000, 1, 1))
    section = make_section()
    authors = [make_author() for _ in range(size)]
    tags = [make_tag(f"وسم {n}") for n in range(size)]
    articles = [make_article(section=section, authors=authors, tags=tags) for _ in range(size * 3)]
    # article, its bylines with authors, its tags, its corrections; related articles by tags,
    # then by section; the older and the newer in its section; the masthead of its day; the
    # header's sections; the breaking-news banner
    with django_assert_num_queries(11):
        assert client.get(articles[0].get_absolute_url()).status_code == 200
    # today's masthead, the header's sections, the banner; the curated top stories, the latest
    # stories; each section's latest ids, those articles, all their bylines; most read in 24
    # hours and in 7 days (then cached)
    with django_assert_num_queries(10):
        assert client.get("/").status_code == 200
    with django_assert_num_queries(8):
        assert client.get("/").status_code == 200
    # the author, the articles with their sections (one row more than a page, no COUNT), their
    # bylines with authors, the header's sections, the banner
    with django_assert_num_queries(5):
        assert client.get(authors[0].get_absolute_url()).status_code == 200
