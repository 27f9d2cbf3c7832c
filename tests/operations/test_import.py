import datetime
import html
import re
from io import StringIO

import pytest
from django.contrib.redirects.models import Redirect
from django.core.management import CommandError, call_command
from django.utils import timezone
from django.utils.encoding import iri_to_uri

from articles.legacy import LegacyFormatError, parse_page, split_byline
from articles.models import Article, Author, MastheadTerm
from tests.conftest import FIXTURES, SEEDS

LEGACY = FIXTURES / "legacy"
GOOD = [
    LEGACY / name
    for name in ["good_single_author.txt", "good_two_authors_agency.txt", "good_new_editor.txt"]
]
D = datetime.date


def run_import(*paths, expect_failure=False):
    """Run the command as an operator would; return (stdout, stderr)."""
    out, err = StringIO(), StringIO()
    if expect_failure:
        with pytest.raises(CommandError) as error:
            call_command("import_legacy", *map(str, paths), stdout=out, stderr=err)
        return out.getvalue(), err.getvalue() + str(error.value)
    call_command("import_legacy", *map(str, paths), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def paragraphs_of(article):
    return re.findall(r"<p>(.*?)</p>", article.body)


def test_good_pages_become_published_articles(db):
    out, _ = run_import(*GOOD)
    assert "3 file(s): 3 imported, 0 already imported, 0 failed" in out
    single = Article.objects.get(
        headline="تطوير 40 مدرسة حكومية بمدينة السنابل قبل بداية العام الدراسي"
    )
    assert single.status == Article.Status.PUBLISHED and single.is_published
    assert timezone.localtime(single.published_at).replace(tzinfo=None) == datetime.datetime(
        2024, 3, 14, 12
    )
    assert [a.name for a in single.ordered_authors()] == ["كريم عبد الحميد"]
    assert single.agency_credit == ""
    assert len(paragraphs_of(single)) == 4
    assert all("  " not in p and p == p.strip() for p in paragraphs_of(single))

    pair = Article.objects.get(headline__startswith="ارتفاع أسعار الذهب")
    assert [a.name for a in pair.ordered_authors()] == ["سامح عادل", "منى الشريف"]
    assert pair.agency_credit == "وكالات الأنباء"
    assert len(paragraphs_of(pair)) == 3

    digits = Article.objects.get(headline__startswith="افتتاح حديقة عامة")
    assert digits.publication_date() == D(2024, 5, 2)
    assert len(paragraphs_of(digits)) == 2


def test_imported_masthead_becomes_continuous_terms(db, roles):
    run_import(*GOOD)
    terms = [
        (t.role.title, t.person_name, t.starts_on, t.ends_on)
        for t in MastheadTerm.objects.order_by("role__position", "starts_on")
    ]
    assert terms == [
        ("رئيس مجلس الإدارة", "حسام الدين البنا", D(2024, 3, 14), D(2024, 5, 2)),
        ("رئيس التحرير", "شريف أنور الدمرداش", D(2024, 3, 14), D(2024, 3, 28)),
        ("رئيس التحرير", "نادية عبد الرؤوف سالم", D(2024, 5, 2), D(2024, 5, 2)),
    ]


def test_importing_the_same_files_twice_changes_nothing(db):
    run_import(*GOOD)
    before = {a.pk: (a.updated_at, a.version, a.body) for a in Article.objects.all()}
    counts = (Author.objects.count(), MastheadTerm.objects.count())
    out, _ = run_import(*GOOD)
    assert "0 imported, 3 already imported, 0 failed" in out
    assert {a.pk: (a.updated_at, a.version, a.body) for a in Article.objects.all()} == before
    assert (Author.objects.count(), MastheadTerm.objects.count()) == counts


def test_authors_are_reused_whatever_their_spelling(db, make_author):
    existing = make_author(name="منى الشريف")
    run_import(LEGACY / "good_two_authors_agency.txt")
    assert Author.objects.filter(normalized_name=existing.normalized_name).count() == 1
    assert existing in Article.objects.get().ordered_authors()


@pytest.mark.parametrize(
    ("name", "line", "reason"),
    [
        ("bad_no_date.txt", 1, "expected a date line"),
        ("bad_unknown_month.txt", 1, "unknown month name 'مارسو'"),
        ("bad_no_headline.txt", None, "no headline"),
        ("bad_no_body.txt", None, "no body paragraphs"),
    ],
)
def test_a_malformed_page_is_reported_and_the_others_still_import(db, name, line, reason):
    _, err = run_import(LEGACY / name, *GOOD, expect_failure=True)
    where = f"{LEGACY / name}:{line}: " if line else f"{LEGACY / name}:"
    assert where in err and reason in err
    assert "1 file(s) failed to import" in err
    assert Article.objects.count() == 3


def test_a_folder_is_imported_with_a_summary_and_a_failing_exit(db):
    out, err = run_import(LEGACY, expect_failure=True)
    assert "7 file(s): 3 imported, 0 already imported, 4 failed" in out
    assert "4 file(s) failed to import" in err


def test_a_file_that_is_not_utf8_is_reported_with_its_line(db, tmp_path):
    page = (LEGACY / "good_single_author.txt").read_text()
    bad = tmp_path / "cp1256.txt"
    bad.write_bytes(page.encode("cp1256"))
    _, err = run_import(bad, expect_failure=True)
    assert f"{bad}:1: not UTF-8" in err
    assert Article.objects.count() == 0


def test_a_page_refused_half_way_leaves_nothing_behind(db, tmp_path):
    page = (LEGACY / "good_single_author.txt").read_text().splitlines()
    page[2] = "اسم لم يسجل من قبل"  # chairman's name
    headline = page[6]
    page = [("ع" * 300 if line == headline else line) for line in page]
    page = [line.replace("كريم عبد الحميد", "كاتب جديد تماما") for line in page]
    bad = tmp_path / "long.txt"
    bad.write_text("\n".join(page))
    _, err = run_import(bad, expect_failure=True)
    assert f"{bad}:0:" in err
    assert not Article.objects.exists()
    assert not Author.objects.filter(name="كاتب جديد تماما").exists()
    assert not MastheadTerm.objects.exists()


def test_a_missing_path_is_a_clear_error(db, tmp_path):
    _, err = run_import(tmp_path / "nowhere", expect_failure=True)
    assert "no such file or folder" in err


def test_a_weekday_that_does_not_match_the_date_is_refused():
    with pytest.raises(LegacyFormatError, match="does not fall on 2024-03-28"):
        parse_page("الجمعة 28 مارس 2024\n\nعنوان\n\nنص\n")


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("الخميس 28 مارس 2024", D(2024, 3, 28)),
        ("28 آذار 2024", D(2024, 3, 28)),
        ("الاثنين ١ يناير ٢٠٢٤", D(2024, 1, 1)),
        ("الأحد 1 كانون الأول 2024", D(2024, 12, 1)),
        ("  السبت   6 يوليه 2024 ", D(2024, 7, 6)),
    ],
)
def test_date_lines_in_the_spellings_arab_papers_use(line, date):
    assert parse_page(f"{line}\n\nعنوان\n\nنص\n").date == date


def test_the_masthead_needs_a_name_for_every_title():
    with pytest.raises(LegacyFormatError, match="masthead title 'رئيس التحرير' has no name"):
        parse_page("الخميس 28 مارس 2024\nرئيس التحرير\n\nعنوان\n\nنص\n")


@pytest.mark.parametrize(
    ("byline", "authors", "agency"),
    [
        ("سامح عادل ومنى الشريف ووكالات الأنباء", ["سامح عادل", "منى الشريف"], "وكالات الأنباء"),
        ("محمد وليد", ["محمد وليد"], ""),  # a father named Walid is not a second author
        ("محمد وليد ووكالات الأنباء", ["محمد وليد"], "وكالات الأنباء"),
        ("أحمد علي و منى الشريف و سعيد حسن", ["أحمد علي", "منى الشريف", "سعيد حسن"], ""),
        ("أحمد علي، منى الشريف وسعيد حسن", ["أحمد علي", "منى الشريف", "سعيد حسن"], ""),
        ("وكالات الأنباء", [], "وكالات الأنباء"),
        ("أحمد علي ووكالة الشرق", ["أحمد علي"], "وكالة الشرق"),
    ],
)
def test_byline_splits_names_on_the_conjunction(byline, authors, agency):
    assert split_byline(byline) == (authors, agency)


SEED_FILES = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
# What the issue asks every seed page to show, by file.
SEED_EXPECTED = {
    "000_18a2c8e27a3ab171.txt": {
        "dateline": "الخميس 28 مارس 2024",
        "names": ["هبة صادق", "احمد باشا", "مصطفى امين عامر", "ووكالات الأنباء"],
        "paragraphs": 9,
    }
}


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda path: path.name)
def test_every_seed_page_imports_and_reads_as_printed(client, db, seed):
    run_import(seed)
    article = Article.objects.get()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()

    lines = [re.sub(r"\s+", " ", line).strip() for line in seed.read_text().splitlines()]
    headline = next(line for line in lines if line and lines.count(line) > 1)
    assert f'<h1 class="headline">{html.escape(headline, quote=False)}</h1>' in page
    assert f"<title>{html.escape(headline, quote=False)} |" in page
    byline_at = next(i for i, line in enumerate(lines) if line.startswith("كتب"))
    body = [line for line in lines[byline_at + 1 :] if line]
    for paragraph in body:
        assert f"<p>{html.escape(paragraph)}</p>" in page
    shown = re.search(r'<div class="article-body">(.*?)</div>', page, re.S).group(1)
    assert shown.count("<p>") == len(body)

    expected = SEED_EXPECTED.get(seed.name)
    if expected:
        assert f">{expected['dateline']}</time>" in page
        for name in expected["names"]:
            assert name in page
        assert len(body) == expected["paragraphs"] == len(paragraphs_of(article))


def test_sections_and_masthead_roles_are_matched_whatever_their_spelling(
    db, make_section, tmp_path
):
    news = make_section(name="أخبار")
    page = (LEGACY / "good_single_author.txt").read_text()
    page = page.replace("رئيس مجلس الإدارة", "رئيس مجلس الاداره")
    path = tmp_path / "variant.txt"
    path.write_text(page)
    out = StringIO()
    call_command("import_legacy", str(path), "--section", "اخبار", stdout=out, stderr=StringIO())
    assert Article.objects.get().section == news
    assert {t.role.title for t in MastheadTerm.objects.all()} == {
        "رئيس مجلس الإدارة",
        "رئيس التحرير",
    }


def test_a_printed_day_joins_or_stretches_the_same_persons_terms(roles, make_term):
    from articles.services import masthead_term_record

    editor = roles["editor"]
    make_term(editor, "سعاد", D(2024, 1, 1), D(2024, 1, 5))
    make_term(editor, "سعاد", D(2024, 1, 10), D(2024, 1, 15))
    make_term(editor, "كمال", D(2024, 2, 10), D(2024, 2, 20))
    assert (
        masthead_term_record(role_title="رئيس التحرير", person_name="سعاد", day=D(2024, 1, 7)) == ""
    )
    assert (
        masthead_term_record(role_title="رئيس التحرير", person_name="كمال", day=D(2024, 2, 1)) == ""
    )
    warning = masthead_term_record(role_title="رئيس التحرير", person_name="غيره", day=D(2024, 1, 3))
    assert "the records were kept" in warning
    terms = [
        (t.person_name, t.starts_on, t.ends_on) for t in MastheadTerm.objects.order_by("starts_on")
    ]
    assert terms == [
        ("سعاد", D(2024, 1, 1), D(2024, 1, 15)),
        ("كمال", D(2024, 2, 1), D(2024, 2, 20)),
    ]


def _copy_pages(tmp_path):
    for path in GOOD[:2]:
        (tmp_path / path.name).write_bytes(path.read_bytes())
    return tmp_path


def test_old_addresses_in_a_map_become_permanent_redirects(db, client, tmp_path):
    folder = _copy_pages(tmp_path)
    (folder / "addresses.tsv").write_text(
        "# page file<TAB>address in the old CMS\n"
        f"{GOOD[0].name}\thttp://old.example.com/News/Details.aspx?ID=4512\n"
        f"{GOOD[1].name}\t/archive/2024/03/اقتصاد-123.html\n",
        encoding="utf-8",
    )
    call_command(
        "import_legacy", str(folder), "--addresses", str(folder / "addresses.tsv"),
        stdout=StringIO(), stderr=StringIO(),
    )  # fmt: skip

    first = Article.objects.get(headline=parse_page(GOOD[0].read_text("utf-8")).headline)
    second = Article.objects.get(headline=parse_page(GOOD[1].read_text("utf-8")).headline)
    answer = client.get("/News/Details.aspx?ID=4512")
    assert answer.status_code == 301
    assert answer["Location"] == iri_to_uri(first.get_absolute_url())
    assert client.get("/archive/2024/03/اقتصاد-123.html")["Location"] == iri_to_uri(
        second.get_absolute_url()
    )


def test_a_bad_address_map_is_refused_whole_with_file_and_line(db, tmp_path):
    folder = _copy_pages(tmp_path)
    (folder / "addresses.tsv").write_text(
        f"{GOOD[0].name}\t/old/1\nmissing.txt\t/old/2\n{GOOD[1].name}\n", encoding="utf-8"
    )
    with pytest.raises(CommandError) as error:
        call_command(
            "import_legacy", str(folder), "--addresses", str(folder / "addresses.tsv"),
            stdout=StringIO(), stderr=StringIO(),
        )  # fmt: skip

    message = str(error.value)
    assert "addresses.tsv:2: no such page file 'missing.txt'" in message
    assert "addresses.tsv:3: expected 'page file<TAB>old address'" in message
    assert not Article.objects.exists()


def test_an_old_address_that_is_no_path_fails_its_file_and_writes_nothing(db, tmp_path):
    folder = _copy_pages(tmp_path)
    (folder / "addresses.tsv").write_text(f"{GOOD[0].name}\tjavascript:alert(1)\n", "utf-8")

    with pytest.raises(CommandError) as error:
        call_command(
            "import_legacy", str(folder / GOOD[0].name), "--addresses",
            str(folder / "addresses.tsv"), stdout=StringIO(), stderr=StringIO(),
        )  # fmt: skip

    assert f"{GOOD[0].name}:0: العنوان القديم" in str(error.value)
    assert not Article.objects.exists()
    assert not Redirect.objects.exists()
