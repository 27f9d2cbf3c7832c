"""The desk on the admin's home page: each role's panels, their content, a constant number of
queries whatever the archive's size, and plans that use an index."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from benchmarks.management.commands.check_query_plans import Command
from frontpage.models import BreakingNews, HourlyRead
from workflow.desk import desk_for
from workflow.models import EditorialNote, Transition

Status = Article.Status


@pytest.fixture
def staff(make_user):
    return {role: make_user(role) for role in ("writer", "editor", "admin")}


def newsroom_day(make_article, writer, editor, copies=1):
    """``copies`` of each kind of article the desk shows, plus an old archive around them."""
    now = timezone.now()
    for number in range(copies):
        make_article(
            headline=f"مسودة الكاتب {number}",
            status=Status.DRAFT,
            published_at=None,
            created_by=writer,
            authors=[writer.author],
        )
        returned = make_article(
            headline=f"مقال معاد {number}",
            status=Status.RETURNED,
            published_at=None,
            created_by=writer,
            authors=[writer.author],
        )
        Transition.objects.create(
            article=returned,
            from_status=Status.IN_REVIEW,
            to_status=Status.RETURNED,
            note="اختصر المقدمة وأضف مصدرًا",
            created_by=editor,
        )
        EditorialNote.objects.create(article=returned, text="ملاحظة قديمة", created_by=editor)
        make_article(
            headline=f"بانتظار المراجعة {number}", status=Status.IN_REVIEW, published_at=None
        )
        make_article(headline=f"مجدول {number}", published_at=now + datetime.timedelta(seconds=60))
        fresh = make_article(
            headline=f"نُشر للتو {number}", published_at=now - datetime.timedelta(hours=2)
        )
        hour = (now - datetime.timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
        HourlyRead.objects.create(article=fresh, hour=hour, count=7)
        HourlyRead.objects.create(article=fresh, hour=hour - datetime.timedelta(hours=1), count=5)
        # The archive: published long ago, and other writers' drafts.
        make_article(headline=f"أرشيف {number}", published_at=now - datetime.timedelta(days=400))
        make_article(headline=f"مسودة زميل {number}", status=Status.DRAFT, published_at=None)


def test_a_writer_sees_their_drafts_and_what_came_back_with_the_note(client, staff, make_article):
    writer, editor = staff["writer"], staff["editor"]
    newsroom_day(make_article, writer, editor)
    client.force_login(writer)
    page = client.get("/admin/").content.decode()
    assert "مسودة الكاتب 0" in page and "مسودة زميل" not in page
    assert "مقال معاد 0" in page and "اختصر المقدمة وأضف مصدرًا" in page
    assert "نُشر للتو 0" in page
    assert 'href="/admin/articles/article/add/"' in page and "مقال جديد" in page
    # An editor's panels are not a writer's.
    assert "بانتظار المراجعة" not in page and "الشريط العاجل" not in page
    # Django's app list is still there under the desk.
    assert 'id="content-main"' in page and "app-articles" in page


def test_an_editor_sees_review_schedule_reads_and_the_banner(client, staff, make_article):
    writer, editor = staff["writer"], staff["editor"]
    newsroom_day(make_article, writer, editor)
    client.force_login(editor)
    page = client.get("/admin/").content.decode()
    assert "بانتظار المراجعة 0" in page
    assert "مجدول 0" in page
    assert "لا شريط عاجل معروض الآن" in page
    desk = desk_for(editor)
    assert [a.headline for a in desk.published_recently] == ["نُشر للتو 0"]
    assert desk.published_recently[0].reads == 12
    assert '<td class="desk-reads">12</td>' in page
    BreakingNews.objects.create(
        text="عاجل: انقطاع الكهرباء", expires_at=timezone.now() + datetime.timedelta(hours=1)
    )
    assert "معروض الآن:</strong> عاجل: انقطاع الكهرباء" in client.get("/admin/").content.decode()


def test_the_returned_panel_prefers_the_return_note_then_the_latest_editorial_note(
    staff, make_article
):
    writer = staff["writer"]
    article = make_article(
        status=Status.RETURNED, published_at=None, created_by=writer, authors=[writer.author]
    )
    EditorialNote.objects.create(article=article, text="أين الصورة؟", created_by=staff["editor"])
    [returned] = desk_for(writer).returned
    assert returned.return_note is None and returned.last_note == "أين الصورة؟"


def test_scheduled_today_stops_at_midnight(staff, make_article, settings):
    tomorrow = timezone.localtime() + datetime.timedelta(days=1, minutes=1)
    make_article(headline="غدًا", published_at=tomorrow.replace(hour=0, minute=30))
    assert desk_for(staff["editor"]).scheduled_today == []


@pytest.mark.parametrize("role", ["writer", "editor", "admin"])
def test_each_panel_costs_the_same_queries_at_any_archive_size(
    staff, make_article, django_assert_num_queries, role
):
    def fresh_user():  # as in a request: permissions not yet cached on the user
        return get_user_model().objects.get(pk=staff[role].pk)

    newsroom_day(make_article, staff["writer"], staff["editor"], copies=1)
    user = fresh_user()
    with CaptureQueriesContext(connection) as small:
        desk_for(user)
    newsroom_day(make_article, staff["writer"], staff["editor"], copies=6)
    user = fresh_user()
    with django_assert_num_queries(len(small.captured_queries)):
        desk = desk_for(user)
    # Permissions (2 queries), then one per panel the role has.
    assert len(small.captured_queries) == {"writer": 5, "editor": 8, "admin": 8}[role]
    assert len(desk.published_recently) == 7
    if role != "writer":
        assert len(desk.in_review) == 7 and len(desk.scheduled_today) == 7


@pytest.mark.parametrize("role", ["writer", "editor"])
def test_no_panel_reads_the_whole_article_table(staff, make_article, role):
    newsroom_day(make_article, staff["writer"], staff["editor"], copies=2)
    with CaptureQueriesContext(connection) as queries:
        desk_for(staff[role])
    statements = [q["sql"] for q in queries.captured_queries if "articles_article" in q["sql"]]
    assert len(statements) >= 3
    for sql in statements:
        assert Command.explain(sql, True) == [], sql


def test_the_desk_says_how_long_ago_in_words():
    from workflow.templatetags.desk import since

    now = timezone.now()
    assert since(now - datetime.timedelta(seconds=20)) == "الآن"
    assert since(now - datetime.timedelta(minutes=3, seconds=5)) == "منذ 3\xa0دقائق"
    assert since(now - datetime.timedelta(days=1, hours=3)) == "منذ 1\xa0يوم"
    assert since(None) == ""
