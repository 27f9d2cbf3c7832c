"""The broken-plural tier of search (articles/plurals.py): what it adds, and what it must not."""

import itertools

import pytest

from articles import plurals
from articles import search as search_module
from articles.models import Article
from articles.search import Highlighter, query_words, related_forms, run_search, stems
from tests.articles.test_search_eval import EVAL, corpus, precision_at_10, recall_at_10, site_search  # noqa: F401


def found(query):
    articles, _ = run_search(Article.objects.published(), query_words(query))
    return [article.headline for article in articles]


@pytest.fixture
def without_the_list(monkeypatch):
    """Search as it was before the tier: no word has listed forms."""
    monkeypatch.setattr(search_module, "other_forms", lambda word: ())
    related_forms.cache_clear()
    yield
    related_forms.cache_clear()


def test_no_form_belongs_to_two_groups():
    forms = [form for group in plurals.groups() for form in group]
    assert len(forms) == len(set(forms))


def test_no_listed_form_is_reached_by_stemming_a_form_of_another_group():
    """Otherwise a plural would find a word of the other group through the stored stems."""
    owner = {form: group for group in plurals.groups() for form in group}
    clashes = [
        (form, other)
        for form, other in itertools.permutations(owner, 2)
        if owner[form] != owner[other] and form in stems(other)
    ]
    assert clashes == []


@pytest.mark.parametrize(
    ("query", "headline"),
    [
        ("المدارس", "افتتاح مدرسة جديدة فى القرية"),
        ("مدرسة", "المدارس تستعد للعام الدراسى"),
        ("الزائر", "المعرض يستقبل زواره صباحا"),
        ("البرلمانية", "البرلمان يقر الموازنة"),
        ("للبرلمان", "الجلسة البرلمانية تبدأ غدا"),
        ("السفن", "رست السفينة فى الميناء"),
        ("بالوزراء", "الوزير يزور المحافظة"),
    ],
)
def test_a_listed_form_finds_the_other_forms(make_article, query, headline):
    make_article(headline=headline)
    make_article(headline="خبر عن الطقس")
    assert found(query) == [headline]


@pytest.mark.parametrize("query", ["المدارس", "البرلمانية"])
def test_the_same_searches_find_nothing_without_the_list(make_article, without_the_list, query):
    """The tests above would pass on stemming alone if these did not fail."""
    make_article(headline="افتتاح مدرسة جديدة فى القرية")
    make_article(headline="البرلمان يقر الموازنة")
    assert found(query) == []


@pytest.mark.parametrize(
    ("query", "unrelated"),
    [
        ("المدارس", "المدرس يشرح الدرس"),  # مدرسة stems to مدرس, the teacher
        ("الاعوام", "الموازنة العامة"),  # عام (year) left out: العامة is "public"
        ("الشروط", "الشرطة تغلق الطريق"),  # شرط left out: الشرطة is the police
        ("بحقوق", "لحق بالقطار"),  # حق is two letters: لحق is not read as ل + حق
    ],
)
def test_the_list_adds_no_false_hits(make_article, query, unrelated):
    make_article(headline=unrelated)
    assert found(query) == []


def test_exact_and_stem_matches_rank_before_listed_forms(make_article, make_section):
    """A newer article with the plural in its headline still comes after a body-only match."""
    import datetime

    from django.utils import timezone

    section = make_section()
    now = timezone.now()
    body_only = make_article(
        headline="خبر قديم",
        body="<p>زار الوزير مدرسة فى الريف.</p>",
        section=section,
        published_at=now - datetime.timedelta(days=3),
    )
    listed = make_article(headline="المدارس الجديدة", section=section)
    rows, _ = run_search(Article.objects.published(), query_words("مدرسة"))
    assert [row.pk for row in rows] == [body_only.pk, listed.pk]


def test_highlighter_marks_the_listed_form_as_written():
    marked = Highlighter(query_words("الزائر")).highlight("يستقبل المتحف زوّاره")
    assert marked == "يستقبل المتحف <mark>زوّاره</mark>"


def test_related_forms_carry_clitics_only_where_the_stem_would_lose_them():
    tokens = related_forms("البرلمانيه")
    assert {"البرلمان", "للبرلمان", "والبرلمان"} <= tokens
    assert "برلم" not in tokens  # the stem of البرلمان is shared with unrelated words
    assert related_forms("مدارس") >= {"مدرسه", "المدرسه"}
    assert "مدرس" not in related_forms("مدارس")


def test_evaluation_recall_rises_and_precision_does_not_drop(corpus, monkeypatch):  # noqa: F811
    recall, _ = recall_at_10(corpus, site_search)
    precision = precision_at_10(corpus, site_search)
    monkeypatch.setattr(search_module, "other_forms", lambda word: ())
    related_forms.cache_clear()
    try:
        recall_before, _ = recall_at_10(corpus, site_search)
        precision_before = precision_at_10(corpus, site_search)
    finally:
        related_forms.cache_clear()
    print(
        f"recall {recall_before:.3f} -> {recall:.3f}; precision {precision_before:.3f} -> {precision:.3f}"
    )
    assert recall > recall_before
    assert precision >= precision_before
    assert len(EVAL["queries"]) == 58
