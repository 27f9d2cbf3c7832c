"""Credit lines as Arab dailies print them: parsed, imported with their roles, shown to readers."""

import json
import re
from io import StringIO
from urllib.parse import quote

import feedparser
import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from articles.credits import looks_like_credit, parse_credits
from articles.legacy import LegacyFormatError, parse_page
from articles.models import Article, Byline
from tests.conftest import FIXTURES

BYLINES = FIXTURES / "bylines"
PAGE = """الخميس 28 مارس 2024
رئيس التحرير
شريف أنور الدمرداش

عنوان الخبر

{credits}

نص الخبر الأول.
"""


def credits_of(line):
    found = parse_credits(line)
    assert found is not None, line
    return found.writers, found.photographers, found.agencies, found.dateline


@pytest.mark.parametrize(
    ("line", "writers", "photographers", "agencies", "dateline"),
    [
        # The verb, agreeing with the writers, and each separator an archive uses.
        ("كتب - أحمد علي", ["أحمد علي"], [], [], ""),
        ("كتب: أحمد علي", ["أحمد علي"], [], [], ""),
        ("كتب– أحمد علي", ["أحمد علي"], [], [], ""),
        ("كتب — أحمد علي", ["أحمد علي"], [], [], ""),
        ("كتبت : منى الشريف", ["منى الشريف"], [], [], ""),
        ("كتبا - أحمد ومنى", ["أحمد", "منى"], [], [], ""),
        ("كتبتا - منى وسلمى", ["منى", "سلمى"], [], [], ""),
        (
            "كتبوا - أحمد علي ومنى الشريف وسعيد حسن",
            ["أحمد علي", "منى الشريف", "سعيد حسن"],
            [],
            [],
            "",
        ),
        ("كتب أحمد علي:", ["أحمد علي"], [], [], ""),
        # The other credit words.
        ("بقلم د. أحمد علي", ["د. أحمد علي"], [], [], ""),
        ("بقلم: منى الشريف", ["منى الشريف"], [], [], ""),
        ("إعداد: منى الشريف", ["منى الشريف"], [], [], ""),
        ("اعداد - منى الشريف", ["منى الشريف"], [], [], ""),
        ("تقرير - سعيد حسن", ["سعيد حسن"], [], [], ""),
        ("تحقيق: سعيد حسن", ["سعيد حسن"], [], [], ""),
        ("حوار: منى الشريف", ["منى الشريف"], [], [], ""),
        ("أجرى الحوار: سعيد حسن", ["سعيد حسن"], [], [], ""),
        ("متابعة – سعيد حسن", ["سعيد حسن"], [], [], ""),
        ("تصوير: محمد سامي", [], ["محمد سامي"], [], ""),
        ("عدسة - محمد سامي", [], ["محمد سامي"], [], ""),
        # Combinations with و, joined or apart.
        ("كتب وصور: أحمد علي", ["أحمد علي"], ["أحمد علي"], [], ""),
        ("تقرير وتصوير - سعيد حسن", ["سعيد حسن"], ["سعيد حسن"], [], ""),
        ("حوار و تصوير: منى الشريف", ["منى الشريف"], ["منى الشريف"], [], ""),
        ("إعداد ومتابعة: منى الشريف", ["منى الشريف"], [], [], ""),
        # Two credits on one line.
        ("كتب - أحمد علي  تصوير - محمد سامي", ["أحمد علي"], ["محمد سامي"], [], ""),
        ("كتب - أحمد علي / تصوير: محمد سامي", ["أحمد علي"], ["محمد سامي"], [], ""),
        ("كتب - أحمد علي | تصوير - محمد سامي", ["أحمد علي"], ["محمد سامي"], [], ""),
        # A dateline in front.
        ("القاهرة - كتب أحمد علي:", ["أحمد علي"], [], [], "القاهرة"),
        ("شرم الشيخ – كتبت: منى الشريف", ["منى الشريف"], [], [], "شرم الشيخ"),
        # Agencies.
        ("كتب - أحمد علي ووكالات الأنباء", ["أحمد علي"], [], ["وكالات الأنباء"], ""),
        ("كتب - أحمد علي و(أ ش أ)", ["أحمد علي"], [], ["(أ ش أ)"], ""),
        ("كتب - أحمد علي ورويترز", ["أحمد علي"], [], ["رويترز"], ""),
        ("القاهرة - (أ ش أ)", [], [], ["(أ ش أ)"], "القاهرة"),
        ("(أ ف ب)", [], [], ["(أ ف ب)"], ""),
        ("وكالات", [], [], ["وكالات"], ""),
    ],
)
def test_credit_forms_are_read(line, writers, photographers, agencies, dateline):
    assert credits_of(line) == (writers, photographers, agencies, dateline)


@pytest.mark.parametrize(
    "line",
    [
        "ارتفعت أسعار الذهب في الأسواق اليوم.",
        "القاهرة - قال وزير الصحة إن المستشفى الجديد يفتح أبوابه الشهر المقبل.",
        "كتب الوزير مقالا مطولا عن الموازنة العامة في الصحيفة الرسمية",
    ],
)
def test_paragraphs_are_not_taken_for_credits(line):
    assert parse_credits(line) is None
    assert not looks_like_credit(line)


@pytest.mark.parametrize(
    "line",
    ["رصد - سلوى حمدي", "كتب -", "تصوير:", "شارك في التغطية: منى الشريف", "الإسكندرية - منى:"],
)
def test_credit_shaped_lines_that_are_not_read_are_flagged(line):
    assert parse_credits(line) is None
    assert looks_like_credit(line)


def test_a_page_keeps_writers_photographers_agencies_and_its_dateline():
    page = parse_page(
        PAGE.format(credits="القاهرة - كتب - أحمد علي ووكالات الأنباء\n\nتصوير: محمد سامي")
    )
    assert page.authors == ["أحمد علي"]
    assert page.photographers == ["محمد سامي"]
    assert page.agency_credit == "وكالات الأنباء"
    assert page.paragraphs == ["القاهرة - نص الخبر الأول."]


def test_a_credit_shaped_line_that_is_not_read_refuses_the_page_naming_line_and_text():
    with pytest.raises(LegacyFormatError, match="'رصد - سلوى حمدي' under the headline") as error:
        parse_page(PAGE.format(credits="رصد - سلوى حمدي"))
    assert error.value.line == 7


def test_the_importer_refuses_an_unread_credit_with_file_line_and_text(db):
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as error:
        call_command(
            "import_legacy",
            str(BYLINES / "unknown_credit.txt"),
            str(BYLINES / "photographer_dateline.txt"),
            stdout=out,
            stderr=err,
        )
    reported = err.getvalue() + str(error.value)
    assert f"{BYLINES / 'unknown_credit.txt'}:11: 'رصد - سلوى حمدي'" in reported
    assert "2 file(s): 1 imported, 0 already imported, 1 failed" in out.getvalue()
    assert not Article.objects.filter(headline__startswith="مهرجان").exists()


def import_fixture(name):
    call_command("import_legacy", str(BYLINES / name), stdout=StringIO(), stderr=StringIO())
    return Article.objects.get()


def test_an_imported_page_records_each_person_with_their_role(db):
    article = import_fixture("photographer_dateline.txt")
    credits = [(b.author.name, b.role) for b in article.bylines.select_related("author")]
    assert credits == [("ليلى منصور", "writer"), ("عمر فتحي", "photographer")]
    assert article.body.startswith("<p>القاهرة - عاد باعة")


def test_one_person_may_write_and_photograph_a_story(db):
    article = import_fixture("interview_both_roles.txt")
    roles = sorted(article.bylines.values_list("author__name", "role"))
    assert roles == [("نادر سليم", "photographer"), ("نادر سليم", "writer")]
    assert article.agency_credit == "وكالات الأنباء"
    with pytest.raises(IntegrityError, match="byline_unique_author_role"):
        Byline.objects.create(article=article, author=article.bylines.first().author, role="writer")


def test_the_database_refuses_an_unknown_role(make_article, make_author):
    with pytest.raises(IntegrityError, match="byline_role_known"):
        Byline.objects.bulk_create(
            [Byline(article=make_article(), author=make_author(), role="editor")]
        )


@pytest.fixture
def photographed(make_article, make_author):
    writer = make_author(name="ليلى منصور", slug="ليلى-منصور")
    photographer = make_author(name="عمر فتحي", slug="عمر-فتحي")
    article = make_article(headline="سوق الكتب يعود", agency_credit="وكالات الأنباء")
    Byline.objects.create(article=article, author=writer, position=0)
    Byline.objects.create(article=article, author=photographer, role="photographer", position=1)
    return article


def test_the_reader_page_shows_photographers_apart_from_writers(client, photographed):
    page = client.get(photographed.get_absolute_url()).content.decode()
    byline = re.search(r'<p class="byline">(.*?)</p>', page, re.S).group(1)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", byline)).strip()
    assert text == "كتب - ليلى منصور ووكالات الأنباء · تصوير: عمر فتحي"
    writers = re.search(r'<span class="byline-writers">(.*?)</span>', byline, re.S).group(1)
    assert "عمر فتحي" not in writers and 'rel="author"' in writers
    photo = re.search(r'<span class="byline-photographers">(.*?)</span>', byline, re.S).group(1)
    assert "rel=" not in photo and f'href="{quote("/author/عمر-فتحي/")}"' in photo


def test_json_ld_feeds_and_api_keep_writers_as_the_authors(client, photographed):
    page = client.get(photographed.get_absolute_url()).content.decode()
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    news = next(d for d in map(json.loads, scripts) if d.get("@type") == "NewsArticle")
    assert [person["name"] for person in news["author"]] == ["ليلى منصور"]

    feed = feedparser.parse(client.get("/feed/").content)
    assert feed.entries[0].author == "ليلى منصور، وكالات الأنباء"

    data = client.get(f"/api/v1/articles/{photographed.pk}/").json()
    assert [author["name"] for author in data["byline"]["authors"]] == ["ليلى منصور"]


def test_a_form_that_leaves_the_role_out_keeps_the_bylines_role(photographed):
    byline = photographed.bylines.get(role="photographer")
    byline.role = ""
    byline.save()  # an empty role, as a form without the field sends, means the writer
    assert Byline.objects.get(pk=byline.pk).role == "writer"


@pytest.mark.parametrize(
    "line",
    [
        "تقرير: الحكومة تعلن خطة جديدة لدعم صغار المزارعين في الدلتا",
        "تقرير - النمو 3% هذا العام",
        "كتب مصدر قال - إن الطقس",
        "متابعة: من الميدان",
    ],
)
def test_a_sentence_after_a_credit_word_is_refused_not_credited(line):
    assert parse_credits(line) is None
    with pytest.raises(LegacyFormatError, match="looks like a byline"):
        parse_page(PAGE.format(credits=line))


def test_a_headline_that_reads_like_a_credit_is_still_the_headline():
    page = parse_page(
        PAGE.replace("عنوان الخبر", "حوار: وزيرة الثقافة").format(credits="كتب - منى")
    )
    assert page.headline == "حوار: وزيرة الثقافة"
    assert page.authors == ["منى"]


def test_the_verbs_number_splits_single_names_only_when_it_adds_up():
    assert credits_of("كتبا - محمد عبد الله ومنى")[0] == ["محمد عبد الله", "منى"]
    assert credits_of("كتبوا - أحمد علي ومنى")[0] == ["أحمد علي", "منى"]
    # Which و is the conjunction cannot be told: the line is not read, and a page refused.
    assert parse_credits("كتبا - أحمد وليد ومنى") is None
    assert looks_like_credit("كتبا - أحمد وليد ومنى")
