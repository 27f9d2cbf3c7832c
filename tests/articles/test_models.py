import datetime
import functools

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, MastheadTerm, Tag

D = datetime.date


def test_overlapping_masthead_term_is_refused_by_the_database(roles, make_term):
    make_term(roles["editor"], "الأول", D(2020, 1, 1), D(2022, 12, 31))
    with pytest.raises(IntegrityError, match="masthead_term_no_overlap"), transaction.atomic():
        make_term(roles["editor"], "الثاني", D(2022, 12, 31), None)


def test_open_ended_masthead_term_overlaps_every_later_term(roles, make_term):
    make_term(roles["editor"], "الأول", D(2020, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        make_term(roles["editor"], "الثاني", D(2030, 1, 1), D(2031, 1, 1))


def test_masthead_terms_may_touch_and_other_roles_may_overlap(roles, make_term):
    make_term(roles["editor"], "الأول", D(2020, 1, 1), D(2022, 12, 31))
    make_term(roles["editor"], "الثاني", D(2023, 1, 1))
    make_term(roles["chairman"], "الرئيس", D(2019, 6, 1))
    assert MastheadTerm.objects.count() == 3


def test_masthead_term_ending_before_it_starts_is_refused(roles, make_term):
    with (
        pytest.raises(IntegrityError, match="masthead_term_ends_after_start"),
        transaction.atomic(),
    ):
        make_term(roles["editor"], "الأول", D(2020, 1, 1), D(2019, 1, 1))


def test_masthead_overlap_is_a_validation_error_in_arabic(roles, make_term):
    make_term(roles["editor"], "الأول", D(2020, 1, 1))
    term = MastheadTerm(role=roles["editor"], person_name="الثاني", starts_on=D(2021, 1, 1))
    with pytest.raises(ValidationError) as error:
        term.full_clean()
    assert "تتداخل هذه الفترة" in str(error.value)


def test_masthead_in_force_on_a_day_follows_the_terms(roles, make_term):
    make_term(roles["editor"], "القديم", D(2020, 1, 1), D(2023, 6, 30))
    make_term(roles["editor"], "الجديد", D(2023, 7, 1))
    make_term(roles["chairman"], "الرئيس", D(2019, 1, 1))

    def names(day):
        return [(t.role.title, t.person_name) for t in MastheadTerm.objects.in_force_on(day)]

    assert names(D(2023, 6, 30)) == [("رئيس مجلس الإدارة", "الرئيس"), ("رئيس التحرير", "القديم")]
    assert names(D(2023, 7, 1)) == [("رئيس مجلس الإدارة", "الرئيس"), ("رئيس التحرير", "الجديد")]
    assert names(D(2018, 1, 1)) == []


def test_tag_names_spelled_two_ways_are_one_tag_in_the_database(make_tag):
    make_tag("الدولى", slug="one")
    with pytest.raises(IntegrityError, match="tag_unique_normalized_name"), transaction.atomic():
        make_tag("الدولي", slug="two")


def test_tag_clash_is_a_validation_error_in_arabic(make_tag):
    make_tag("الدولى")
    tag = Tag(name="الدولي", slug="other")
    with pytest.raises(ValidationError) as error:
        tag.full_clean()
    assert "يوجد وسم بهذا الاسم" in str(error.value)


def test_published_excludes_drafts_and_future_articles(make_article):
    now = timezone.now()
    visible = make_article(published_at=now - datetime.timedelta(minutes=1))
    make_article(status=Article.Status.DRAFT, published_at=now - datetime.timedelta(days=1))
    scheduled = make_article(published_at=now + datetime.timedelta(minutes=5))
    assert list(Article.objects.published()) == [visible]
    assert not scheduled.is_published


def test_scheduled_article_appears_at_its_time_without_any_job(make_article, time_machine):
    at = timezone.now() + datetime.timedelta(hours=2)
    article = make_article(published_at=at)
    assert article not in Article.objects.published()
    time_machine.move_to(at + datetime.timedelta(seconds=1))
    assert article in Article.objects.published()


def test_expired_article_leaves_at_its_time_without_any_job(make_article, time_machine):
    ends = timezone.now() + datetime.timedelta(hours=2)
    article = make_article(expires_at=ends)
    assert article in Article.objects.published() and article.is_published
    time_machine.move_to(ends + datetime.timedelta(seconds=1))
    assert article not in Article.objects.published()
    assert not Article.objects.get(pk=article.pk).is_published


def test_expiry_before_publication_is_refused(make_article):
    article = make_article()
    article.expires_at = article.published_at - datetime.timedelta(minutes=1)
    with pytest.raises(IntegrityError, match="article_expires_after_publication"):
        with transaction.atomic():
            article.save()


def test_published_article_needs_a_publication_time(make_section):
    with pytest.raises(IntegrityError, match="article_published_has_time"), transaction.atomic():
        Article.objects.create(
            headline="خبر",
            section=make_section(),
            status=Article.Status.PUBLISHED,
            published_at=None,
        )


def test_lead_image_needs_alt_text(make_section):
    # The database's own rule, below the write service (which refuses it before, in Arabic).
    with pytest.raises(IntegrityError, match="article_lead_image_has_alt"), transaction.atomic():
        Article.objects.create(
            headline="صورة بلا وصف",
            section=make_section(),
            lead_image="lead/2024/03/photo.jpg",
            lead_image_alt="",
        )


def test_save_sanitises_the_body_before_the_database_sees_it(make_article):
    article = make_article(body='<p onmouseover="x()">نص</p><script>alert(1)</script>')
    stored = Article.objects.values_list("body", flat=True).get(pk=article.pk)
    assert stored == "<p>نص</p>"


def test_save_derives_slug_version_and_normalised_search_text(make_article):
    article = make_article(headline="مشاورات لإعلان «هدنة أسبوع» فى سوريا", slug="")
    assert article.slug == "مشاورات-لإعلان-هدنة-أسبوع-فى-سوريا"
    assert article.version == 1
    assert "اعلان" in article.search_text and "في سوريا" in article.search_text
    article.save()
    assert article.version == 2


def test_search_text_keeps_words_of_separate_paragraphs_apart(make_article):
    article = make_article(body="<p>السلام</p><p>عليكم &amp; مرحبا</p>")
    assert article.search_text.endswith("السلام عليكم & مرحبا")
    assert article.summary_or_lead() == "السلام عليكم & مرحبا"


def test_search_vector_matches_any_spelling_and_weights_the_headline(make_article):
    in_headline = make_article(headline="المبعوث الدولى يصل", body="<p>نص عادي</p>")
    in_body = make_article(headline="خبر آخر", body="<p>قال المبعوث الدولي كلمته</p>")
    make_article(headline="لا علاقة", body="<p>شيء مختلف</p>")
    query = SearchQuery("الدولي", config="simple")
    found = Article.objects.filter(search_vector=query)
    assert set(found) == {in_headline, in_body}
    ranked = Article.objects.raw(
        "SELECT id, ts_rank(search_vector, plainto_tsquery('simple', %s)) AS rank "
        "FROM articles_article WHERE search_vector @@ plainto_tsquery('simple', %s) ORDER BY rank DESC",
        ["الدولي", "الدولي"],
    )
    assert [a.pk for a in ranked] == [in_headline.pk, in_body.pk]


def test_by_author_and_ordered_authors_keep_the_byline_order(make_article, make_author):
    first, second = make_author(name="أ"), make_author(name="ب")
    article = make_article(authors=[second, first])
    assert article.ordered_authors() == [second, first]
    assert list(Article.objects.by_author(first)) == [article]


def test_in_section_and_tagged_keep_only_that_sections_or_tags_articles(
    make_article, make_section, make_tag
):
    economy, energy = make_section(), make_tag("طاقة")
    in_economy = make_article(section=economy)
    tagged = make_article(tags=[energy])
    assert list(Article.objects.in_section(economy)) == [in_economy]
    assert list(Article.objects.in_section(economy.pk)) == [in_economy]
    assert list(Article.objects.tagged(energy)) == [tagged]


def test_published_between_counts_whole_days_of_the_newspapers_time_zone(make_article, settings):
    settings.TIME_ZONE = "Africa/Cairo"  # UTC+2 in March 2024
    at = functools.partial(datetime.datetime, 2024, 3, 27, tzinfo=datetime.UTC)
    late_on_27th = make_article(published_at=at(21, 30))  # 23:30 in Cairo
    early_on_28th = make_article(published_at=at(22, 30))  # 00:30 on the 28th in Cairo

    def between(first, last):
        return set(Article.objects.published_between(first, last))

    assert between(D(2024, 3, 27), D(2024, 3, 27)) == {late_on_27th}
    assert between(D(2024, 3, 28), D(2024, 3, 28)) == {early_on_28th}
    assert between(None, D(2024, 3, 27)) == {late_on_27th}
    assert between(D(2024, 3, 28), None) == {early_on_28th}
    # Days no instant can follow (or nothing was published before) leave that end open.
    assert between(D.min, D.max) == {late_on_27th, early_on_28th}


def test_every_model_reads_as_its_name(make_article, make_author, make_tag, roles, make_term):
    assert str(make_article(headline="عنوان")) == "عنوان"
    assert str(make_author(name="منى")) == "منى"
    assert str(make_tag("الاقتصاد")) == "الاقتصاد"
    assert str(make_term(roles["editor"], "فلان", D(2020, 1, 1))) == "رئيس التحرير: فلان"
