"""What each role is shown: the admin offers only what the role may use."""

import datetime

from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article, Byline
from tests.workflow_helpers import article_data, change_url

Status = Article.Status


def test_the_migration_creates_the_three_roles_with_arabic_names(db):
    groups = {group.name: group for group in Group.objects.prefetch_related("permissions")}
    assert {"كاتب", "محرر", "مدير"} <= set(groups)
    writer = {p.codename for p in groups["كاتب"].permissions.all()}
    editor = {p.codename for p in groups["محرر"].permissions.all()}
    admin = {p.codename for p in groups["مدير"].permissions.all()}
    assert {"add_article", "change_article"} <= writer
    assert not writer & {"publish_article", "change_others_article", "change_mastheadterm"}
    assert {"publish_article", "change_others_article", "add_tag", "add_author"} <= editor
    assert not editor & {"add_mastheadterm", "change_user"}
    assert {"add_mastheadterm", "change_user", "view_auditentry"} <= admin


def test_a_writer_sees_only_their_own_articles(client, make_user, make_article):
    writer, colleague = make_user("writer"), make_user("writer")
    by_byline = make_article(status=Status.DRAFT, published_at=None)
    Byline.objects.create(article=by_byline, author=writer.author)
    created = make_article(status=Status.DRAFT, published_at=None, created_by=writer)
    make_article(status=Status.DRAFT, published_at=None, created_by=colleague)
    make_article()  # someone's published article
    client.force_login(writer)
    response = client.get("/admin/articles/article/")
    assert set(response.context["cl"].result_list) == {by_byline, created}
    assert "delete_selected" not in response.content.decode()


def test_a_writer_is_not_shown_the_masthead_or_the_staff(client, make_user):
    client.force_login(make_user("writer"))
    html = client.get("/admin/").content.decode()
    assert "/admin/articles/article/" in html
    for hidden in ["/admin/articles/mastheadterm/", "/admin/auth/user/", "/admin/workflow/"]:
        assert hidden not in html
    assert client.get("/admin/articles/mastheadterm/").status_code == 403
    assert client.get("/admin/auth/user/").status_code == 403


def test_the_writer_form_offers_only_draft_and_review(client, make_user, make_article):
    writer = make_user("writer")
    article = make_article(status=Status.DRAFT, published_at=None, created_by=writer)
    client.force_login(writer)
    form = client.get(change_url(article)).context["adminform"].form
    assert [value for value, _ in form.fields["status"].choices] == ["draft", "review"]
    assert "published_at" not in form.fields and "expires_at" not in form.fields


def test_the_editor_form_offers_publishing_and_expiry(client, make_user, make_article):
    editor = make_user("editor")
    article = make_article(status=Status.IN_REVIEW, published_at=None)
    client.force_login(editor)
    form = client.get(change_url(article)).context["adminform"].form
    assert [value for value, _ in form.fields["status"].choices] == [
        "draft", "review", "returned", "published",
    ]  # fmt: skip
    assert "published_at" in form.fields and "expires_at" in form.fields


def test_a_writer_in_review_gets_a_read_only_page(client, make_user, make_article):
    writer = make_user("writer")
    article = make_article(status=Status.IN_REVIEW, published_at=None, created_by=writer)
    client.force_login(writer)
    response = client.get(change_url(article))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert "ملاحظة مع تغيير الحالة" not in response.content.decode()
    assert client.post(change_url(article), article_data(article)).status_code == 403


def test_a_forged_publication_time_from_a_writer_is_ignored(client, make_user, make_article):
    writer = make_user("writer")
    article = make_article(status=Status.DRAFT, published_at=None, created_by=writer)
    client.force_login(writer)
    later = timezone.now() + datetime.timedelta(days=2)
    data = article_data(article, headline="تعديل عادي", expires_at_0="2031-01-01")
    data["published_at_0"] = timezone.localtime(later).strftime("%Y-%m-%d")
    data["published_at_1"] = "10:00:00"
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.headline == "تعديل عادي"
    assert article.published_at is None and article.expires_at is None


def test_an_admin_who_is_not_superuser_cannot_make_a_superuser(client, make_user):
    admin = make_user("admin")
    target = make_user("writer")
    client.force_login(admin)
    response = client.get(f"/admin/auth/user/{target.pk}/change/")
    assert "is_superuser" not in response.context["adminform"].form.fields
    superuser = type(admin).objects.create_superuser("root", password="x")
    assert client.get(f"/admin/auth/user/{superuser.pk}/change/").status_code == 302


def test_a_new_article_is_bylined_to_the_writer_who_wrote_it(client, make_user, make_section):
    writer = make_user("writer")
    client.force_login(writer)
    data = article_data(section=make_section(), headline="مقال بلا كاتب محدد")
    assert client.post("/admin/articles/article/add/", data).status_code == 302
    article = Article.objects.get(headline="مقال بلا كاتب محدد")
    assert article.ordered_authors() == [writer.author] and article.created_by == writer


def test_the_list_says_scheduled_for_a_future_publication(client, make_user, make_article):
    make_article(headline="مقال مجدول", published_at=timezone.now() + datetime.timedelta(hours=5))
    client.force_login(make_user("editor"))
    html = client.get("/admin/articles/article/").content.decode()
    assert "مجدول" in html


def test_the_admin_role_gets_the_permissions_of_models_added_later(db):
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    from workflow.roles import ensure_admin_role

    new = Permission.objects.create(
        codename="archive_article",
        name="أرشفة",
        content_type=ContentType.objects.get(app_label="articles", model="article"),
    )
    ensure_admin_role(sender=None)
    assert new in Group.objects.get(name="مدير").permissions.all()
    assert new not in Group.objects.get(name="محرر").permissions.all()
