"""The page cache: anonymous pages from the cache, exact invalidation, validators, staff."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article, Author, Correction, MastheadTerm, Tag
from articles.services import author_save, content_delete, content_save, tag_save
from frontpage.models import BreakingNews, FrontPageSlot
from tests.workflow_helpers import article_data, change_url
from workflow.services import article_delete, article_save

Status = Article.Status


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_SECONDS = 300
    return settings


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_second_anonymous_request_runs_no_sql(
    client, page_cache, make_article, django_assert_num_queries
):
    article = make_article(headline="خبر مخزون")
    for url in ["/", article.get_absolute_url(), "/latest/", "/feed/", "/sitemap.xml"]:
        first = client.get(url)
        with django_assert_num_queries(0):
            second = client.get(url)
        assert second.status_code == 200
        assert second.content == first.content
        assert second["ETag"] == first["ETag"]


def test_anonymous_pages_carry_cdn_headers_and_answer_304(client, page_cache, make_article):
    article = make_article()
    response = client.get(article.get_absolute_url())
    control = response["Cache-Control"]
    for part in ["public", "max-age=0", "s-maxage=1", "stale-while-revalidate=10"]:
        assert part in control
    assert response["Last-Modified"]
    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again.content == b""
    since = client.get(article.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert since.status_code == 304
    assert client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_headers_and_304_without_the_app_cache_too(client, make_article):
    article = make_article()
    response = client.get("/")
    assert "s-maxage=1" in response["Cache-Control"]
    assert client.get("/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert client.get(article.get_absolute_url()).status_code == 200


# Each change is made the way the code makes it (the write services), and committed.


def _change_headline(article):
    article.headline = "عنوان بعد التعديل"
    article_save(article=article)
    return "عنوان بعد التعديل"


def _publish(article):
    draft = article_save(
        article=Article(headline="خبر نُشر للتو", section=article.section, status=Status.DRAFT)
    )
    draft.status = Status.PUBLISHED
    draft.published_at = timezone.now() - datetime.timedelta(minutes=1)
    article_save(article=draft)
    return "خبر نُشر للتو"


def _add_byline(article):
    author = Author.objects.create(name="كاتبة جديدة", slug="كاتبة-جديدة")
    article_save(article=article, authors=[*article.ordered_authors(), author])
    return "كاتبة جديدة"


def _add_tag(article):
    article_save(article=article, tags=[*article.tags.all(), Tag.objects.create(name="وسم طارئ")])
    return "وسم طارئ"


def _add_correction(article):
    # As the article admin does: the correction's inline is saved with the article.
    Correction.objects.create(article=article, text="صُحّح رقم الضحايا")
    article_save(article=article)
    return "صُحّح رقم الضحايا"


def _rename_section(article):
    article.section.name = "قسم بعد التعديل"
    content_save(instance=article.section)
    return "قسم بعد التعديل"


def _rename_tag(article):
    tag = article.tags.get()
    tag.name = "وسم بعد التعديل"
    tag_save(tag=tag)
    return "وسم بعد التعديل"


def _rename_author(article):
    author = article.authors.get()
    author.name = "اسم بعد التعديل"
    author_save(author=author)
    return "اسم بعد التعديل"


def _change_masthead(article):
    term = MastheadTerm.objects.get()
    term.person_name = "رئيس تحرير جديد"
    content_save(instance=term)
    return "رئيس تحرير جديد"


def _breaking(article):
    content_save(
        instance=BreakingNews(
            text="عاجل: زلزال", expires_at=timezone.now() + datetime.timedelta(hours=1)
        )
    )
    return "عاجل: زلزال"


@pytest.mark.parametrize(
    "change",
    [
        _change_headline,
        _publish,
        _add_byline,
        _add_tag,
        _add_correction,
        _rename_section,
        _rename_tag,
        _rename_author,
        _change_masthead,
        _breaking,
    ],
)
def test_every_kind_of_change_shows_on_the_very_next_request(
    client, page_cache, make_article, make_author, make_tag, roles, make_term, change,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    make_term(roles["editor"], "رئيس التحرير الأول", datetime.date(2000, 1, 1))
    article = make_article(authors=[make_author()], tags=[make_tag("وسم أول")])
    urls = [article.get_absolute_url(), "/", "/latest/"]
    for url in urls:
        html(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        expected = change(article)
    article.refresh_from_db()
    # the article page for changes to it, the listing pages for a new article
    pages = {url: html(client, url) for url in urls}
    assert any(expected in page for page in pages.values()), expected
    if change is not _publish:
        assert expected in pages[article.get_absolute_url()]


def test_unpublishing_and_deleting_take_the_article_off_at_once(
    client, page_cache, make_article, django_capture_on_commit_callbacks
):
    kept = make_article(headline="خبر باق")
    gone = make_article(headline="خبر سيُسحب")
    deleted = make_article(headline="خبر سيُحذف")
    assert "خبر سيُسحب" in html(client, "/latest/")
    assert client.get(gone.get_absolute_url()).status_code == 200
    gone.status = Status.UNPUBLISHED
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=gone)
    assert client.get(gone.get_absolute_url()).status_code == 404
    assert "خبر سيُسحب" not in html(client, "/latest/")
    url = deleted.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        article_delete(article=deleted)
    assert client.get(url).status_code == 404
    page = html(client, "/latest/")
    assert "خبر سيُحذف" not in page and "خبر باق" in page
    assert kept.pk


def test_front_page_slots_show_at_once(
    client, page_cache, make_article, django_capture_on_commit_callbacks
):
    old = make_article(
        headline="خبر قديم للصدارة", published_at=timezone.now() - datetime.timedelta(days=3)
    )
    make_article(headline="أحدث خبر")
    assert html(client, "/").index("أحدث خبر") < html(client, "/").index("خبر قديم للصدارة")
    with django_capture_on_commit_callbacks(execute=True):
        slot = content_save(instance=FrontPageSlot(article=old, position=1))
    page = html(client, "/")
    assert page.index("خبر قديم للصدارة") < page.index("أحدث خبر")
    with django_capture_on_commit_callbacks(execute=True):
        content_delete(queryset=FrontPageSlot.objects.filter(pk=slot.pk))
    page = html(client, "/")
    assert page.index("أحدث خبر") < page.index("خبر قديم للصدارة")


def test_an_edit_in_the_admin_shows_on_the_next_request(
    client, page_cache, make_user, make_article, make_author, django_capture_on_commit_callbacks
):
    article = make_article(headline="عنوان قبل المحرر", authors=[make_author()])
    assert "عنوان قبل المحرر" in html(client, article.get_absolute_url())
    editor = client.__class__()
    editor.force_login(make_user("editor"))
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(change_url(article), article_data(article, headline="عنوان المحرر"))
    assert response.status_code == 302
    page = html(client, article.get_absolute_url())
    assert "عنوان المحرر" in page and "عنوان قبل المحرر" not in page


def test_a_scheduled_article_appears_at_its_time(client, page_cache, make_article):
    now = timezone.now()
    with time_machine.travel(now, tick=False) as traveller:
        make_article(headline="خبر مجدول", published_at=now + datetime.timedelta(minutes=10))
        make_article(headline="خبر ينتهي", expires_at=now + datetime.timedelta(minutes=20))
        assert "خبر مجدول" not in html(client, "/latest/")
        traveller.shift(datetime.timedelta(minutes=9, seconds=58))
        assert "خبر مجدول" not in html(client, "/latest/")
        traveller.shift(datetime.timedelta(seconds=3))
        page = html(client, "/latest/")
        assert "خبر مجدول" in page and "خبر ينتهي" in page
        traveller.shift(datetime.timedelta(minutes=10))
        assert "خبر ينتهي" not in html(client, "/latest/")


def test_a_breaking_banner_leaves_at_its_expiry(client, page_cache, make_article):
    now = timezone.now()
    make_article()
    with time_machine.travel(now, tick=False) as traveller:
        BreakingNews.objects.create(
            text="عاجل مؤقت",
            starts_at=now + datetime.timedelta(minutes=1),
            expires_at=now + datetime.timedelta(minutes=5),
        )
        assert "عاجل مؤقت" not in html(client, "/")
        traveller.shift(datetime.timedelta(minutes=1, seconds=1))
        assert "عاجل مؤقت" in html(client, "/")
        traveller.shift(datetime.timedelta(minutes=4))
        assert "عاجل مؤقت" not in html(client, "/")


def test_the_read_beacon_does_not_invalidate_pages(
    client, page_cache, make_article, django_assert_num_queries
):
    article = make_article()
    html(client, article.get_absolute_url())
    assert client.post(f"/read/{article.pk}/").status_code == 204
    with django_assert_num_queries(0):
        html(client, article.get_absolute_url())


def test_staff_always_get_fresh_private_pages_and_never_fill_the_cache(
    client, page_cache, make_user, make_article, django_assert_num_queries
):
    article = make_article(headline="خبر للموظفين")
    staff = client.__class__()
    staff.force_login(make_user("editor"))
    response = staff.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    # The reader's first request still renders (10 queries: no tags, so no related-by-tags)
    # and looks up the next scheduled change once (3): the staff page was not stored.
    with django_assert_num_queries(13):
        html(client, article.get_absolute_url())
    # And staff do not get the reader's cached copy.
    Article.objects.filter(pk=article.pk).update(headline="تعديل بلا إشارة")
    assert "تعديل بلا إشارة" in staff.get(article.get_absolute_url()).content.decode()


def test_previews_keep_their_own_headers(client, page_cache, make_user, make_article):
    article = make_article(status=Status.DRAFT, published_at=None)
    staff = client.__class__()
    staff.force_login(make_user("editor"))
    response = staff.get(f"/preview/{article.pk}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_unknown_pages_are_not_cached_as_pages_of_others(client, page_cache, make_article):
    article = make_article()
    assert client.get("/news/999999/x/").status_code == 404
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get("/latest/?page=2").status_code == 404


def test_invalidation_on_the_real_redis(
    client, page_cache, real_redis, make_article, django_assert_num_queries,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    article = make_article(headline="خبر في ريديس")
    html(client, article.get_absolute_url())
    with django_assert_num_queries(0):
        assert "خبر في ريديس" in html(client, article.get_absolute_url())
    assert real_redis.get("pagecache:generation") is not None
    article.headline = "خبر معدّل في ريديس"
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=article)
    assert "خبر معدّل في ريديس" in html(client, article.get_absolute_url())


def test_pages_are_served_when_redis_is_down(client, page_cache, settings, make_article):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.redis.NewsroomRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    article = make_article(headline="خبر بلا ريديس")
    assert "خبر بلا ريديس" in html(client, article.get_absolute_url())
    article.headline = "خبر معدّل بلا ريديس"
    article.save()
    assert "خبر معدّل بلا ريديس" in html(client, article.get_absolute_url())


@pytest.mark.parametrize(
    "spoil",
    [
        lambda response: response.set_cookie("tracking", "1"),
        lambda response: response.__setitem__("Cache-Control", "private"),
        lambda response: response.__setitem__("Cache-Control", "no-store"),
    ],
)
def test_answers_with_cookies_or_private_ones_are_never_stored(rf, page_cache, db, spoil):
    from django.http import HttpResponse

    from pagecache.middleware import PageCacheMiddleware

    calls = []

    def view(request):
        calls.append(request)
        response = HttpResponse("صفحة")
        spoil(response)
        return response

    middleware = PageCacheMiddleware(view)
    for _ in range(2):
        response = middleware(rf.get("/latest/"))
        assert "public" not in response.get("Cache-Control", "")
    assert len(calls) == 2


def test_head_requests_are_answered_from_the_cache(
    client, page_cache, make_article, django_assert_num_queries
):
    article = make_article()
    assert client.get(article.get_absolute_url()).status_code == 200
    with django_assert_num_queries(0):
        response = client.head(article.get_absolute_url())
    assert response.status_code == 200 and response.content == b""
