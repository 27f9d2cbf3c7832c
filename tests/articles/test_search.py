import datetime
import itertools
import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.search import Highlighter, query_words, stem
from articles.services import author_save, tag_save
from workflow.services import article_delete, article_save, legacy_page_import

SEARCH = "/search/"


class ResultParser(HTMLParser):
    """Result headlines and snippets as text, plus the marked words, as a browser sees them."""

    def __init__(self):
        super().__init__()
        self.stack, self.marks, self.headlines, self.snippets = [], [], [], []
        self.forms, self.labels, self.inputs = [], {}, []
        self._label_for = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.stack.append((tag, attrs.get("class", "")))
        if tag == "form":
            self.forms.append(attrs)
        if tag == "input":
            self.inputs.append(attrs)
        if tag == "label":
            self._label_for = attrs.get("for")
            self.labels[self._label_for] = ""
        if tag == "h2" and "card-headline" in attrs.get("class", ""):
            self.headlines.append("")
        if tag == "p" and "search-snippet" in attrs.get("class", ""):
            self.snippets.append("")
        if tag == "mark":
            self.marks.append("")

    def handle_endtag(self, tag):
        if tag == "label":
            self._label_for = None
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        tags = [tag for tag, _ in self.stack]
        classes = " ".join(cls for _, cls in self.stack)
        if "mark" in tags:
            self.marks[-1] += data
        if "card-headline" in classes:
            self.headlines[-1] += data
        if "search-snippet" in classes:
            self.snippets[-1] += data
        if self._label_for:
            self.labels[self._label_for] += data


def search(client, **params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    parser = ResultParser()
    parser.feed(response.content.decode())
    return response, parser


def test_postgres_arabic_config_alone_stems_spelling_variants_apart(db):
    """The measurement behind articles/search.py: 'arabic' gives الدولى and الدولي two stems."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_tsvector('arabic', 'الدولى')::text, to_tsvector('arabic', 'الدولي')::text,"
            " to_tsvector('arabic', 'الدولى') @@ plainto_tsquery('arabic', 'الدولي')"
        )
        maksura, yeh, matches = cursor.fetchone()
    assert (maksura, yeh, matches) == ("'دولي':1", "'دول':1", False)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("الدولي", "دول"),
        ("والدوليه", "دول"),
        ("بالدوله", "دول"),
        ("للدول", "دول"),
        ("فالمعلمات", "معلم"),
        ("كالمعلمين", "معلم"),
        ("المعلمون", "معلم"),
        ("ورد", "ورد"),  # a و that may be the word's own stays when too little would remain
        ("في", "في"),
    ],
)
def test_light_stem(word, expected):
    assert stem(word) == expected


def test_query_words_are_normalised_deduplicated_and_capped():
    assert query_words("الدولى  الدولي، أحمد!") == ["الدولي", "احمد"]
    assert len(query_words(" ".join(f"كلمة{n}" for n in range(50)))) == 12


def test_finds_other_spelling_and_marks_the_original_words(client, make_article):
    article = make_article(
        headline="المنتخب الوطنى فى البطولة الدولية",
        body="<p>وصل اللاعبون إلى الملعب الدولى صباحًا.</p>",
    )
    make_article(headline="خبر آخر عن الطقس", body="<p>لا صلة له.</p>")
    response, page = search(client, q="المنتخب الوطني الدولي")
    assert page.headlines == [article.headline]
    # Marked in the article's own spelling (الوطنى, الدولية), not the folded one.
    assert page.marks == ["المنتخب", "الوطنى", "الدولية", "الدولى"]
    assert "<mark>الدولى</mark>" in response.content.decode()


def test_snippet_and_headline_are_html_safe(client, make_article):
    make_article(
        headline="<script>alert(1)</script> ميزانية الدولة",
        summary='ميزانية "جديدة" & <b>مهمة</b>',
    )
    response, page = search(client, q="ميزانيه")
    html = response.content.decode()
    assert "<script>alert" not in html and "<b>مهمة" not in html
    # Escaped, and isolated as a left-to-right run with neutral edges (sanitize.ltr_spans).
    assert "<bdi>&lt;script&gt;alert(1)&lt;/script&gt;</bdi> <mark>ميزانية</mark>" in html
    assert page.snippets == ['ميزانية "جديدة" & <b>مهمة</b>']


def test_highlighter_keeps_tashkeel_and_tatweel_as_written():
    marked = Highlighter(query_words("الفائده القاهره")).highlight("أسعارُ الفائدةِ فى القـــاهرة")
    assert marked == "أسعارُ <mark>الفائدةِ</mark> فى <mark>القـــاهرة</mark>"


def test_snippet_is_a_window_around_the_first_match():
    text = " ".join(f"كلمة{n}" for n in range(100)) + " الهدف " + "ختام " * 60
    snippet = Highlighter(["الهدف"]).snippet(text)
    assert snippet.startswith("… كلمة88 ") and snippet.endswith(" …")
    assert "<mark>الهدف</mark>" in snippet and "كلمة87" not in snippet


def test_headline_match_ranks_above_body_match_and_exact_above_stem(client, make_article):
    in_body = make_article(headline="أخبار متفرقة", body="<p>تحدث الوزير عن الموازنة.</p>")
    in_headline = make_article(headline="الموازنة أمام البرلمان", body="<p>جلسة طويلة.</p>")
    _, page = search(client, q="الموازنة")
    assert page.headlines == [in_headline.headline, in_body.headline]

    stem_only = make_article(headline="المعلمات يطالبن بالأجور")
    exact = make_article(headline="المعلمون يطالبون بالأجور")
    _, page = search(client, q="المعلمون")
    assert page.headlines == [exact.headline, stem_only.headline]


def test_only_published_articles_are_found(client, make_article):
    now = timezone.now()
    visible = make_article(headline="قطار سريع جديد")
    make_article(headline="قطار سريع مسودة", status=Article.Status.DRAFT, published_at=None)
    make_article(headline="قطار سريع قيد المراجعة", status=Article.Status.IN_REVIEW)
    make_article(headline="قطار سريع مجدول", published_at=now + datetime.timedelta(hours=2))
    make_article(
        headline="قطار سريع منتهٍ",
        published_at=now - datetime.timedelta(days=2),
        expires_at=now - datetime.timedelta(hours=1),
    )
    make_article(headline="قطار سريع أُلغي نشره", status=Article.Status.UNPUBLISHED)
    _, page = search(client, q="قطار")
    assert page.headlines == [visible.headline]


def test_filters_by_section_and_date_range(client, make_article, make_section):
    sport, economy = make_section(name="رياضة"), make_section(name="اقتصاد")
    aware = lambda *args: timezone.make_aware(datetime.datetime(*args))  # noqa: E731
    march = make_article(
        headline="سوق الأسهم في مارس", section=economy, published_at=aware(2024, 3, 28, 12)
    )
    april = make_article(
        headline="سوق الأسهم في أبريل", section=economy, published_at=aware(2024, 4, 2, 9)
    )
    make_article(
        headline="سوق انتقالات اللاعبين", section=sport, published_at=aware(2024, 3, 28, 9)
    )

    _, page = search(client, q="سوق", section=economy.slug)
    assert page.headlines == [april.headline, march.headline]
    _, page = search(
        client, q="سوق", section=economy.slug, **{"from": "2024-03-28", "to": "2024-03-28"}
    )
    assert page.headlines == [march.headline]
    # Arabic-Indic digits in a date are read as digits.
    _, page = search(client, q="سوق", **{"from": "٢٠٢٤-٠٤-٠١"})
    assert page.headlines == [april.headline]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"section": "لا-يوجد"}, "هذا القسم غير موجود"),
        ({"from": "28/03/2024"}, "تاريخ البداية غير صحيح"),
        ({"to": "2024-13-45"}, "تاريخ النهاية غير صحيح"),
        ({"from": "2024-05-01", "to": "2024-04-01"}, "تاريخ البداية بعد تاريخ النهاية"),
    ],
)
def test_bad_filters_are_reported_in_arabic_and_ignored(client, make_article, params, message):
    article = make_article(headline="معرض الكتاب يفتح أبوابه")
    response, page = search(client, q="الكتاب", **params)
    assert message in response.content.decode()
    assert page.headlines == [article.headline]


def test_pagination_without_count(client, make_article, make_section, django_assert_num_queries):
    section = make_section()
    for number in range(25):
        make_article(headline=f"مباراة الدوري رقم {number}", section=section)
    response, page = search(client, q="مباراه")
    assert len(page.headlines) == 20
    html = response.content.decode()
    assert 'rel="next" href="?q=%D9%85%D8%A8%D8%A7%D8%B1%D8%A7%D9%87&amp;page=2"' in html
    assert 'rel="prev"' not in html
    response, page = search(client, q="مباراه", page=2)
    assert len(page.headlines) == 5
    assert 'rel="next"' not in response.content.decode()
    assert 'rel="prev" href="?q=%D9%85%D8%A8%D8%A7%D8%B1%D8%A7%D9%87"' in response.content.decode()
    with connection.execute_wrapper(_no_count):
        search(client, q="مباراه", page=2)


@pytest.mark.parametrize(
    ("asked", "shown"),
    [("abc", 1), ("-3", 1), ("0", 1), ("٢", 2), ("999999999999999999999999", 500)],
)
def test_a_page_number_that_is_no_page_shows_the_nearest_page(client, db, asked, shown):
    response = client.get(SEARCH, {"q": "مباراه", "page": asked})
    assert response.status_code == 200 and response.context["page_number"] == shown


def _no_count(execute, sql, params, many, context):
    # The candidate query counts its own recent matches (at most MAX_RANKED rows, a CTE) to
    # know how many older ones to add; no statement counts articles in the table.
    assert "COUNT(" not in sql.upper().replace("SELECT COUNT(*) FROM RECENT", "")
    return execute(sql, params, many, context)


def test_no_results_page_suggests_near_tags_sections_and_latest(
    client, make_article, make_tag, make_section
):
    make_tag("الانتخابات الرئاسية")
    make_section(name="الاقتصاد")
    latest = make_article(headline="خبر اليوم")
    response, page = search(client, q="الانتخابات الرئاسيه الاقتصاد غواصة")
    html = response.content.decode()
    assert page.headlines == []
    assert "لا توجد نتائج لـ«<bdi>الانتخابات الرئاسيه الاقتصاد غواصة</bdi>»" in html
    assert "ربما تقصد" in html and ">الانتخابات الرئاسية</a>" in html and ">الاقتصاد</a>" in html
    assert f'href="{latest.get_absolute_url()}">خبر اليوم</a>' in html


def test_any_word_matches_when_all_words_find_nothing(client, make_article):
    article = make_article(headline="افتتاح جسر جديد")
    response, page = search(client, q="جسر غواصة")
    assert page.headlines == [article.headline]
    assert "هذه مقالات تضم بعضها" in response.content.decode()


BAD_QUERIES = [
    "",
    "   ",
    "ا" * 5000,
    "كلمة " * 1000,
    "!!! ؟؟؟ ،،، ...",
    "'&|!:*()",
    "a:* & !b | (c <-> d)",
    "'; DROP TABLE articles_article; --",
    "\\x00 \\",
    "قطار\x00سريع",
    "\x00",
    "\u202e\u200f",
    "٠١٢٣",
]


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_queries_give_a_page(client, make_article, query):
    make_article(headline="قطار سريع")
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    assert 'role="search"' in response.content.decode()
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    "query_string",
    [
        "q=%ED%A0%80",  # an unpaired surrogate, UTF-8 encoded (invalid)
        "q=%ED%A0%80%ED%B0%80",
        "q=%FF%FE",
        "q=%00",
        "q=%D9%82%D8%B7%D8%A7%D8%B1%00",
        "q=%25%27%26",
        "q=x&page=abc",
        "q=x&page=-3",
        "q=x&page=999999999999999999999999",
        "q=x&from=9999999-01-01&to=%00",
        "q=x&section=%00%ED%A0%80",
        "q&q=1",
    ],
)
def test_bad_bytes_in_the_url_give_a_page(client, make_article, query_string):
    make_article(headline="قطار سريع")
    response = client.get(f"{SEARCH}?{query_string}")
    assert response.status_code == 200


def test_search_page_form_is_labelled_and_right_to_left(client, db):
    response, page = search(client, q="")
    assert '<html lang="ar" dir="rtl">' in response.content.decode()
    search_forms = [form for form in page.forms if form.get("role") == "search"]
    assert len(search_forms) == 2  # the header's and the page's
    for field in ("site-search-q", "search-q", "search-section", "search-from", "search-to"):
        assert page.labels[field].strip()
    assert reverse("articles:search") == SEARCH


_tag_numbers = itertools.count()


def _fill(make_article, make_author, make_tag, section, count):
    for number in range(count):
        make_article(
            headline=f"تقرير الطاقة رقم {number}",
            section=section,
            authors=[make_author(), make_author()],
            tags=[make_tag(f"وسم {next(_tag_numbers)}") for _ in range(3)],
        )


@pytest.mark.parametrize(
    ("query", "queries"),
    [
        # Every reader page also pays two for the header: section links and breaking banner.
        ("الطاقه", 5),  # header, filter sections, results, bylines with authors
        ("غواصات", 6),  # header, filter sections, results, similar tags, latest articles
        ("غواصات بحرية", 7),  # ... and the any-word retry
        ("", 3),  # header, filter sections
    ],
)
def test_query_count_is_constant(
    client,
    make_article,
    make_author,
    make_tag,
    make_section,
    django_assert_num_queries,
    query,
    queries,
):
    section = make_section()
    for total in (3, 30):
        _fill(make_article, make_author, make_tag, section, total - Article.objects.count())
        with django_assert_num_queries(queries):
            response = client.get(SEARCH, {"q": query})
        assert response.status_code == 200


def test_saving_keeps_the_document_current(client, make_article):
    article = make_article(headline="مؤتمر المناخ")
    article.headline = "قمة المياه"
    article_save(article=article)
    assert search(client, q="المناخ")[1].headlines == []
    assert search(client, q="المياه")[1].headlines == ["قمة المياه"]


def test_rebuild_search_index_restores_stale_documents(client, make_article, capsys):
    article = make_article(headline="مهرجان الزهور", summary="الورود في الحدائق")
    Article.objects.filter(pk=article.pk).update(search_vector=None, search_text="")
    version = Article.objects.get(pk=article.pk).version
    assert search(client, q="الزهور")[1].headlines == []
    call_command("rebuild_search_index")
    out = capsys.readouterr().out
    assert re.search(r"Rebuilt the search document of 1 articles \(1 with a changed", out)
    assert search(client, q="الزهور")[1].headlines == ["مهرجان الزهور"]
    refreshed = Article.objects.get(pk=article.pk)
    assert refreshed.version == version and "الورود" in refreshed.search_text


def test_authors_and_tags_are_indexed_and_kept_current(client, make_article, make_author, make_tag):
    article = make_article(headline="جولة في الأسواق")
    author = make_author(name="سلمى عادل")
    assert search(client, q="سلمي")[1].headlines == []  # not in the byline yet

    article_save(article=article, authors=[author])
    assert search(client, q="سلمي عادل")[1].headlines == [article.headline]
    author.name = "سلوى عادل"
    author_save(author=author)
    assert search(client, q="سلمي")[1].headlines == []
    assert search(client, q="سلوي")[1].headlines == [article.headline]
    article_save(article=article, authors=[])
    assert search(client, q="سلوي")[1].headlines == []

    tag = make_tag("الأسعار")
    article_save(article=article, tags=[tag])
    assert search(client, q="اسعار")[1].headlines == [article.headline]
    tag.name = "التضخم"
    tag_save(tag=tag)
    assert search(client, q="تضخم")[1].headlines == [article.headline]
    article_save(article=article, tags=[])
    assert search(client, q="تضخم")[1].headlines == []
    article_save(article=article, tags=[tag.pk])  # tags given by id, as a form may
    assert search(client, q="تضخم")[1].headlines == [article.headline]
    article_save(article=article, tags=[])
    assert search(client, q="تضخم")[1].headlines == []
    article_delete(article=Article.objects.get(pk=article.pk))  # bylines go, no stray refresh


def test_imported_page_is_found_by_its_reporter(client, db):
    from articles.legacy import parse_page

    page = parse_page(
        "الخميس 28 مارس 2024\n\nافتتاح معرض الزهور\n\nكتب - منى الشريف ووكالات الأنباء\n"
        "افتتح المعرض صباح اليوم.\n"
    )
    article, created, _ = legacy_page_import(page=page, section_name="أخبار")
    assert created
    assert search(client, q="منى الشريف")[1].headlines == ["افتتاح معرض الزهور"]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("لعلاج", {"لعلاج", "علاج"}),
        ("وكمهرجان", {"كمهرج", "مهرج"}),
        ("فريق", {"فريق"}),  # too short to risk a second stem
        ("بالمدرسه", {"مدرس"}),  # بال is a prefix of its own
    ],
)
def test_second_stem_for_a_lone_prefix_letter(word, expected):
    from articles.search import stems

    assert stems(word) == expected


@pytest.mark.parametrize("recent", [0, 2, 3, 5])
def test_ranked_candidates_are_the_newest_matches_across_the_recent_window(
    make_article, make_section, monkeypatch, recent
):
    """Whether the recent window holds all, some or none of them, the newest matches rank."""
    from articles import search as search_module

    monkeypatch.setattr(search_module, "MAX_RANKED", 3)
    section = make_section()
    now = timezone.now()
    window = search_module.RECENT_WINDOW
    ages = [datetime.timedelta(hours=hours + 1) for hours in range(recent)]
    ages += [window + datetime.timedelta(days=days) for days in (1, 2, 3, 400)]
    made = [
        make_article(headline="قمة المناخ", section=section, published_at=now - age) for age in ages
    ]
    make_article(headline="مباراة الدوري", section=section)  # newest, does not match
    words = query_words("المناخ")
    rows = list(search_module.ranked(Article.objects.published(), search_module.build_query(words)))
    assert sorted(article.pk for article in rows) == sorted(article.pk for article in made[:3])
