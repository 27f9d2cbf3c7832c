"""Left-to-right runs with neutral edges are isolated wherever Arabic text reaches a reader."""

import feedparser
import pytest

from articles.models import Article
from articles.sanitize import clean_body, isolate_plain, isolate_text, ltr_spans
from articles.search import Highlighter, query_words

URL = "https://www.example.org/news/"


def runs(text):
    return [text[start:end] for start, end in ltr_spans(text)]


@pytest.mark.parametrize(
    ("text", "isolated"),
    [
        (f"زوروا {URL} للمزيد", [URL]),
        (f"الرابط ({URL}).", [URL]),  # the brackets and the full stop stay with the sentence
        (f"الرابط «{URL}»، ثم", [URL]),
        ("راسلونا على desk@example.org، شكرا", ["desk@example.org"]),  # an address, always
        ("افتحوا www.example.org اليوم", ["www.example.org"]),
        ("الملف ~/.bashrc والملف ./run.sh", ["~/.bashrc", "./run.sh"]),
        ("بلغة C++ وبلغة C# و #include", ["C++", "C#", "#include"]),
        ("نفذوا npm install --save ./app/ الآن", ["npm install --save ./app/"]),
        # Latin words and numbers with letters or digits at both ends display right already.
        ("أعلنت Apple عن iPhone 15 بسعر 999 دولارا", []),
        ("الملف report.pdf والموقع example.org", []),
        ("بنسبة 15% و 3.5 مليون و 2024-03-01", []),
        ("نص عربي فقط.", []),
    ],
)
def test_runs_needing_isolation(text, isolated):
    assert runs(text) == isolated


def test_the_body_isolates_runs_once_and_cleaning_again_changes_nothing():
    body = clean_body(
        f'<p>انظر <a href="{URL}">{URL}</a> و {URL}?a=1&amp;b=2 و C++.</p>'
        "<p>نص <bdi>~/.x</bdi> معزول من قبل</p>"
    )
    assert body == (
        f'<p>انظر <a href="{URL}" rel="noopener noreferrer"><bdi>{URL}</bdi></a> و '
        f"<bdi>{URL}?a=1&amp;b=2</bdi> و <bdi>C++</bdi>.</p>"
        "<p>نص <bdi>~/.x</bdi> معزول من قبل</p>"
    )
    assert clean_body(body) == body


def test_isolated_text_is_still_escaped():
    assert isolate_text("نص <script>x</script> و & ~/a") == (
        "نص <bdi>&lt;script&gt;x&lt;/script&gt;</bdi> و <bdi>&amp; ~/a</bdi>"
    )


def test_a_body_stored_before_isolation_is_isolated_on_the_page(client, make_article):
    article = make_article(headline="خبر قديم")
    Article.objects.filter(pk=article.pk).update(body=f"<p>الموقع {URL} اليوم</p>")
    page = client.get(article.get_absolute_url()).content.decode()
    assert f"<p>الموقع <bdi>{URL}</bdi> اليوم</p>" in page


def test_summaries_and_captions_isolate_runs(client, make_article):
    article = make_article(
        headline="خبر بعنوان", summary=f"التفاصيل في {URL} غدا", lead_image_caption="ملف C++"
    )
    home = client.get("/").content.decode()
    assert f"التفاصيل في <bdi>{URL}</bdi> غدا" in home
    from django.template.loader import render_to_string

    article.lead_image = "x.jpg"
    figure = render_to_string("includes/lead_figure.html", {"article": article})
    assert "<figcaption>ملف <bdi>C++</bdi>" in figure


def test_search_snippets_isolate_runs_around_marked_words():
    snippet = Highlighter(query_words("example")).snippet(f"زوروا {URL} اليوم")
    assert snippet == "زوروا <bdi>https://www.<mark>example</mark>.org/news/</bdi> اليوم"


def test_feed_descriptions_isolate_runs_with_unicode_isolates(client, make_article):
    make_article(summary=f"التفاصيل في {URL} غدا")
    feed = feedparser.parse(client.get("/feed/").content)
    assert feed.entries[0].summary == f"التفاصيل في \u2068{URL}\u2069 غدا"
    assert isolate_plain("نص عربي") == "نص عربي"
