"""Revisions: every admin save is kept; editors compare any two and restore one."""

from reversion.models import Version

from articles.models import Article
from tests.workflow_helpers import article_data, change_url

Status = Article.Status


def save(client, article, **overrides):
    article.refresh_from_db()
    response = client.post(change_url(article), article_data(article, **overrides))
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()


def test_every_save_keeps_a_revision_with_its_author(
    client, make_user, make_article, make_author, make_tag
):
    editor = make_user("editor")
    article = make_article(status=Status.DRAFT, published_at=None, authors=[make_author()])
    tag = make_tag("اقتصاد")
    client.force_login(editor)
    save(client, article, headline="العنوان الأول")
    save(client, article, headline="العنوان الثاني", tags=[tag.pk])
    created, *versions = Version.objects.get_for_object(article).order_by("pk")
    assert created.revision.user is None  # the builder saved it as a command would
    assert [v.field_dict["headline"] for v in versions] == ["العنوان الأول", "العنوان الثاني"]
    assert versions[1].field_dict["tags"] == [tag.pk]
    assert all(v.revision.user == editor for v in versions)
    # The byline is kept with each revision.
    assert versions[1].revision.version_set.filter(content_type__model="byline").count() == 1
    html = client.get(f"/admin/articles/article/{article.pk}/history/").content.decode()
    assert "النسخ المحفوظة" in html and "استعِد هذه النسخة" in html


def test_the_diff_between_two_revisions_is_readable_and_right_to_left(
    client, make_user, make_article
):
    editor = make_user("editor")
    article = make_article(status=Status.DRAFT, published_at=None)
    client.force_login(editor)
    save(client, article, headline="الحكومة تعلن خطة جديدة", body="<p>فقرة أولى.</p>")
    save(
        client,
        article,
        headline="الحكومة تعلن خطة طموحة",
        body="<p>فقرة أولى.</p><p>فقرة <b>مضافة</b>.</p>",
    )
    _created, old, new = Version.objects.get_for_object(article).order_by("pk")
    url = f"/admin/articles/article/{article.pk}/history/compare/"
    response = client.get(url, {"from": old.pk, "to": new.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'dir="rtl"' in html
    assert "الحكومة تعلن خطة <del>جديدة</del> <ins>طموحة</ins>" in html
    assert "فقرة أولى. <ins>\nفقرة مضافة.</ins>" in html
    changed = {label for label, _, is_changed in response.context["rows"] if is_changed}
    assert changed == {"العنوان", "النص"}


def test_restoring_a_revision_makes_a_new_one_and_keeps_the_state(
    client, make_user, make_article, make_author
):
    editor = make_user("editor")
    first_author, second_author = make_author(), make_author()
    article = make_article(status=Status.DRAFT, published_at=None, authors=[first_author])
    client.force_login(editor)
    save(client, article, headline="النص الأصلي", body="<p>الأصل</p>")
    byline = article.bylines.get()
    save(
        client,
        article,
        headline="نص خاطئ",
        body="<p>خطأ</p>",
        status=Status.PUBLISHED,
        **{"bylines-0-author": second_author.pk, "bylines-0-id": byline.pk},
    )
    original = Version.objects.get_for_object(article).order_by("pk")[1]  # after the builder's
    version_before = article.version
    response = client.post(f"/admin/articles/article/{article.pk}/history/{original.pk}/restore/")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "النص الأصلي" and article.body == "<p>الأصل</p>"
    assert article.ordered_authors() == [first_author]
    # Restoring content does not unpublish behind the workflow's back.
    assert article.status == Status.PUBLISHED and article.is_published
    assert article.version == version_before + 1
    assert article.search_text.startswith("النص الاصلي")
    versions = list(Version.objects.get_for_object(article).order_by("pk"))
    assert len(versions) == 4
    assert versions[-1].revision.user == editor
    assert "استُعيدت" in versions[-1].revision.comment
    assert versions[2].field_dict["headline"] == "نص خاطئ"  # nothing overwritten


def test_restore_answers_only_a_post(client, make_user, make_article):
    editor = make_user("editor")
    article = make_article(status=Status.DRAFT, published_at=None)
    client.force_login(editor)
    save(client, article, headline="أول")
    save(client, article, headline="ثان")
    first = Version.objects.get_for_object(article).order_by("pk").first()
    url = f"/admin/articles/article/{article.pk}/history/{first.pk}/restore/"
    assert client.get(url).status_code == 403
    article.refresh_from_db()
    assert article.headline == "ثان"


def test_without_change_permission_there_is_no_diff_and_no_restore(client, make_user, make_article):
    editor, writer = make_user("editor"), make_user("writer")
    article = make_article(status=Status.DRAFT, published_at=None, created_by=writer)
    client.force_login(editor)
    save(client, article, headline="أول")
    save(client, article, headline="ثان", status=Status.IN_REVIEW)
    first = Version.objects.get_for_object(article).order_by("pk").first()
    # The writer's article is now in review: they may look, not change or restore.
    client.force_login(writer)
    base = f"/admin/articles/article/{article.pk}/history/"
    assert client.get(f"{base}compare/").status_code == 403
    assert client.post(f"{base}{first.pk}/restore/").status_code == 403
    assert "النسخ المحفوظة" not in client.get(base).content.decode()
    article.refresh_from_db()
    assert article.headline == "ثان"


def test_a_revision_of_another_article_cannot_be_restored_here(client, make_user, make_article):
    editor = make_user("editor")
    first = make_article(status=Status.DRAFT, published_at=None)
    second = make_article(status=Status.DRAFT, published_at=None)
    client.force_login(editor)
    save(client, first, headline="نسخة من المقال الأول")
    foreign = Version.objects.get_for_object(first).get(revision__user=editor)
    response = client.post(f"/admin/articles/article/{second.pk}/history/{foreign.pk}/restore/")
    assert response.status_code == 404
    second.refresh_from_db()
    assert second.headline != "نسخة من المقال الأول"
