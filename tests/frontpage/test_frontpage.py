import datetime
import io

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from articles.models import Article
from frontpage.models import BreakingNews, FrontPageSlot, HourlyRead
from frontpage.reads import read_record
from frontpage.services import front_page_stories, most_read

NOON = datetime.datetime(2024, 3, 28, 12, 0, tzinfo=datetime.UTC)


def hours_ago(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


# Curation


def test_editors_slots_come_first_in_their_order_then_the_latest(client, make_article):
    latest = [make_article(published_at=hours_ago(n)) for n in range(1, 8)]
    lead, second = (
        make_article(published_at=hours_ago(30)),
        make_article(published_at=hours_ago(40)),
    )
    FrontPageSlot.objects.create(article=second, position=2)
    FrontPageSlot.objects.create(article=lead, position=1)
    assert front_page_stories(5) == [lead, second, *latest[:3]]
    context = client.get("/").context
    assert context["lead"] == lead
    assert context["top_stories"] == [second, *latest[:3]]


def test_front_page_falls_back_to_the_latest_when_nothing_is_chosen(client, make_article):
    latest = [make_article(published_at=hours_ago(n)) for n in range(1, 4)]
    make_article(status=Article.Status.DRAFT)
    assert front_page_stories(5) == latest
    html = client.get("/").content.decode()
    assert f'<h2 class="lead-headline"><a href="{latest[0].get_absolute_url()}">' in html


def test_a_chosen_article_that_is_not_published_is_skipped(make_article):
    latest = make_article(published_at=hours_ago(1))
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    expired = make_article(published_at=hours_ago(5), expires_at=hours_ago(2))
    scheduled = make_article(published_at=hours_ago(-5))
    kept = make_article(published_at=hours_ago(50))
    for position, article in enumerate([draft, expired, scheduled, kept], start=1):
        FrontPageSlot.objects.create(article=article, position=position)
    assert front_page_stories(2) == [kept, latest]


def test_home_shows_the_latest_of_each_section_below_the_top(client, make_section, make_article):
    sport, economy = make_section(name="رياضة", position=2), make_section(name="اقتصاد", position=1)
    top = [make_article(section=sport, published_at=hours_ago(n)) for n in range(1, 6)]
    older_sport = [make_article(section=sport, published_at=hours_ago(n)) for n in range(10, 16)]
    economy_news = make_article(section=economy, published_at=hours_ago(100))
    blocks = client.get("/").context["section_blocks"]
    # Sections in their order; no story twice on the page; four per section at most.
    assert blocks == [(economy, [economy_news]), (sport, older_sport[:4])]
    assert not set(top) & set(older_sport[:4])


# Breaking news


def test_breaking_news_banner_shows_on_every_reader_page_until_it_expires(
    client, make_article, make_section
):
    article = make_article()
    section = make_section()
    with time_machine.travel(NOON, tick=False):
        BreakingNews.objects.create(
            text="عاجل: زلزال قوي", article=article, expires_at=NOON + datetime.timedelta(hours=2)
        )
        urls = ["/", article.get_absolute_url(), section.get_absolute_url(), "/latest/"]
        for url in urls:
            html = client.get(url).content.decode()
            assert '<aside class="breaking-news" aria-label="خبر عاجل">' in html, url
            assert "عاجل: زلزال قوي" in html
            assert f'href="/news/{article.pk}/"' in html
    with time_machine.travel(NOON + datetime.timedelta(hours=2, seconds=1), tick=False):
        for url in urls:
            assert "زلزال" not in client.get(url).content.decode(), url


def test_switched_off_or_future_banners_are_not_shown(client, db):
    BreakingNews.objects.create(text="أُطفئ", is_active=False, expires_at=hours_ago(-2))
    BreakingNews.objects.create(text="لاحقًا", starts_at=hours_ago(-1), expires_at=hours_ago(-2))
    html = client.get("/").content.decode()
    assert "breaking-news" not in html
    assert BreakingNews.objects.live().count() == 0


def test_newest_live_banner_wins(client, db):
    BreakingNews.objects.create(text="الأقدم", starts_at=hours_ago(2), expires_at=hours_ago(-2))
    BreakingNews.objects.create(text="الأحدث", starts_at=hours_ago(1), expires_at=hours_ago(-2))
    html = client.get("/").content.decode()
    assert "الأحدث" in html and "الأقدم" not in html


# Read counter


def test_beacon_counts_reads_in_hourly_buckets_without_cookies(make_article):
    article = make_article(published_at=NOON - datetime.timedelta(days=1))
    # A real browser sends no CSRF token here; two readers at two addresses.
    reader = Client(enforce_csrf_checks=True)
    other = Client(enforce_csrf_checks=True, REMOTE_ADDR="192.0.2.7")
    with time_machine.travel(NOON + datetime.timedelta(minutes=5), tick=False):
        for _ in range(3):  # one reader reloading the page counts once (READ_DEDUP_SECONDS)
            response = reader.post(f"/read/{article.pk}/")
            assert response.status_code == 204
            assert not response.cookies
            assert "no-cache" in response["Cache-Control"]
        other.post(f"/read/{article.pk}/")
    with time_machine.travel(NOON + datetime.timedelta(hours=1, minutes=59), tick=False):
        reader.post(f"/read/{article.pk}/")
    rows = list(HourlyRead.objects.order_by("hour").values_list("hour", "count"))
    assert rows == [(NOON, 2), (NOON + datetime.timedelta(hours=1), 1)]


def test_beacon_is_one_query(make_article, django_assert_num_queries):
    article = make_article()
    with django_assert_num_queries(1):
        assert read_record(article_id=article.pk)
    with django_assert_num_queries(1):
        assert read_record(article_id=article.pk)
    assert HourlyRead.objects.get().count == 2


def test_beacon_refuses_unpublished_unknown_and_non_post(client, make_article):
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    scheduled = make_article(published_at=hours_ago(-3))
    for pk in (draft.pk, scheduled.pk, 999999):
        assert client.post(f"/read/{pk}/").status_code == 404
    assert client.get(f"/read/{make_article().pk}/").status_code == 405
    assert not HourlyRead.objects.exists()


def test_article_page_loads_the_beacon_script(client, make_article):
    article = make_article()
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'data-read-beacon="/read/{article.pk}/"' in html
    assert '<script src="/static/js/read-beacon.js" defer></script>' in html


def _read(article, times, at):
    for _ in range(times):
        read_record(article_id=article.pk, at=at)


def test_most_read_ranks_by_reads_in_the_last_day_and_week(client, make_article):
    old_hit, today_hit, steady = make_article(), make_article(), make_article()
    hidden = make_article()
    _read(old_hit, 9, hours_ago(72))
    _read(today_hit, 4, hours_ago(1))
    _read(steady, 2, hours_ago(2))
    _read(steady, 2, hours_ago(30))
    _read(make_article(), 50, hours_ago(24 * 8))  # older than a week
    _read(hidden, 99, hours_ago(1))
    hidden.status = Article.Status.UNPUBLISHED
    hidden.save()

    def headlines(window):
        return [(entry["headline"], entry["reads"]) for entry in most_read(window)]

    assert headlines("day") == [(today_hit.headline, 4), (steady.headline, 2)]
    assert headlines("week") == [
        (old_hit.headline, 9),
        (steady.headline, 4),
        (today_hit.headline, 4),
    ]
    html = client.get("/").content.decode()
    assert f'<li><a href="{old_hit.get_absolute_url()}">{old_hit.headline}</a></li>' in html


def test_most_read_is_cached_between_requests(make_article, django_assert_num_queries):
    article = make_article()
    _read(article, 1, hours_ago(1))
    with django_assert_num_queries(1):
        first = most_read("day")
    with django_assert_num_queries(0):
        assert most_read("day") == first


@pytest.fixture
def redis_cache(settings):
    """The real Redis, under a key prefix of its own; only the keys used are removed."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": "newsroom-h4a-tests",
        }
    }
    yield caches["default"]
    caches["default"].delete_many(["frontpage:most-read:day", "frontpage:most-read:week"])


def test_most_read_is_cached_in_redis(make_article, redis_cache, django_assert_num_queries):
    article = make_article()
    _read(article, 3, hours_ago(1))
    redis_cache.delete("frontpage:most-read:day")
    with django_assert_num_queries(1):
        first = most_read("day")
    assert redis_cache.get("frontpage:most-read:day") == first
    with django_assert_num_queries(0):
        assert most_read("day") == first


def test_site_keeps_serving_when_redis_is_down(client, settings, make_article):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    article = make_article()
    read_record(article_id=article.pk)
    response = client.get("/")
    assert response.status_code == 200
    assert [entry["headline"] for entry in response.context["most_read_day"]] == [article.headline]
    assert client.post(f"/read/{article.pk}/").status_code == 204


# Admin


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_user(username="editor", password="x", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="articles",
            codename__in=["publish_article", "view_article", "change_article"],
        )
    )
    client.force_login(user)
    return client


def test_editors_curate_the_front_page_and_banner_in_the_admin(editor_client, make_article):
    article = make_article()
    for url in ("/admin/frontpage/frontpageslot/", "/admin/frontpage/breakingnews/add/"):
        response = editor_client.get(url)
        assert response.status_code == 200
        assert 'dir="rtl"' in response.content.decode()
    response = editor_client.post(
        "/admin/frontpage/frontpageslot/add/", {"article": article.pk, "position": 1}
    )
    assert response.status_code == 302
    assert FrontPageSlot.objects.get().article == article
    again = editor_client.post(
        "/admin/frontpage/frontpageslot/add/", {"article": article.pk, "position": 2}
    )
    assert "هذا المقال موجود في الصفحة الأولى بالفعل." in again.content.decode()
    assert FrontPageSlot.objects.count() == 1


def test_banner_expiring_before_it_starts_is_refused_in_arabic(editor_client, db):
    response = editor_client.post(
        "/admin/frontpage/breakingnews/add/",
        {
            "text": "خبر",
            "is_active": "on",
            "starts_at_0": "2024-03-28",
            "starts_at_1": "12:00",
            "expires_at_0": "2024-03-28",
            "expires_at_1": "11:00",
        },
    )
    assert response.status_code == 200
    assert "وقت الانتهاء يجب أن يأتي بعد وقت البدء." in response.content.decode()
    assert not BreakingNews.objects.exists()
    ok = editor_client.post(
        "/admin/frontpage/breakingnews/add/",
        {
            "text": "خبر",
            "is_active": "on",
            "starts_at_0": "2024-03-28",
            "starts_at_1": "12:00",
            "expires_at_0": "2024-03-28",
            "expires_at_1": "14:00",
        },
    )
    assert ok.status_code == 302
    assert BreakingNews.objects.get().created_by.username == "editor"


def test_staff_without_the_publish_permission_cannot_curate(client, django_user_model):
    reporter = django_user_model.objects.create_user(username="r", password="x", is_staff=True)
    reporter.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="articles", codename__in=["add_article", "change_article"]
        )
    )
    client.force_login(reporter)
    for url in ("/admin/frontpage/frontpageslot/", "/admin/frontpage/breakingnews/add/"):
        assert client.get(url).status_code == 403
    assert "/admin/frontpage/" not in client.get("/admin/").content.decode()


def test_prune_reads_keeps_the_last_days_only(make_article):
    article = make_article()
    _read(article, 2, hours_ago(24 * 9))
    _read(article, 1, hours_ago(24 * 6))
    out = io.StringIO()
    call_command("prune_reads", stdout=out)
    assert "Deleted 1 hourly read counts" in out.getvalue()
    assert list(HourlyRead.objects.values_list("count", flat=True)) == [1]
    with pytest.raises(CommandError):
        call_command("prune_reads", days=3)


def test_empty_front_page_still_renders(client, db):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "لا توجد أخبار منشورة بعد." in html and "لا توجد قراءات مسجلة بعد." in html
